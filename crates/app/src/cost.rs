//! What generation costs: the billing simulator over a teaching load (a course of the library
//! or a traffic profile) with every combination of engines, and its chart.

use crate::{App, AppError, QueueChoice, Result};
use classkit_engines::simulate::{Profile, Simulation};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Largest traffic profile file read.
const MAX_PROFILE: u64 = 1024 * 1024;

/// The teaching load to price.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// A course of the library, made by `instructors` instructors each month, with extra
    /// takes as a share of the first and the share of them the cache answers.
    Course {
        id: Uuid,
        instructors: f64,
        regeneration_rate: f64,
        cache_hit_rate: f64,
    },
    /// A traffic profile file (TOML).
    Profile(PathBuf),
}

/// A simulation to run.
#[derive(Debug, Clone, PartialEq)]
pub struct CostQuestion {
    /// The library whose engines (and courses) are used.
    pub library: PathBuf,
    /// Engines and prices from this file rather than the library's `engines.toml`.
    pub engines: Option<PathBuf>,
    pub load: Load,
    /// Only these engine ids.
    pub only: Vec<String>,
    /// The quality tier the sweet spot must reach (1 basic – 5 best).
    pub quality: u8,
    /// Where to draw the chart of cost against quality tier (`.svg` or `.png`).
    pub chart: Option<PathBuf>,
}

/// Prices every combination of engines for the load, and draws the chart when asked.
pub async fn simulate(question: &CostQuestion) -> Result<Simulation> {
    let config_file = match &question.engines {
        Some(file) if !file.exists() => return Err(AppError::FileNotFound(file.clone())),
        Some(file) => file.clone(),
        None => question.library.join(crate::generate::ENGINES_FILE),
    };
    let config = crate::load_engines_config(&config_file)?;
    let profile = match &question.load {
        Load::Course {
            id,
            instructors,
            regeneration_rate,
            cache_hit_rate,
        } => {
            let app = App::open_existing(&question.library, QueueChoice::Local).await?;
            let mut profile = app
                .course_profile(*id, *regeneration_rate, *cache_hit_rate)
                .await?;
            profile.instructors = *instructors;
            profile
        }
        Load::Profile(file) => {
            let bytes = crate::read_limited(file, MAX_PROFILE).await?;
            let text = String::from_utf8(bytes).map_err(|_| {
                AppError::InvalidProfile(format!("{} is not UTF-8 text", file.display()))
            })?;
            Profile::parse(&text, &file.display().to_string()).map_err(AppError::InvalidProfile)?
        }
    };
    let sim =
        classkit_engines::simulate::simulate(&config, &profile, question.quality, &question.only)
            .map_err(AppError::InvalidProfile)?;
    if let Some(path) = &question.chart {
        write_chart(&sim, path).await?;
    }
    Ok(sim)
}

/// Draws the chart of a simulation into `path`, as SVG or PNG by its extension.
async fn write_chart(sim: &Simulation, path: &Path) -> Result<()> {
    let svg = sim.chart_svg();
    let bytes = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("png") => {
            classkit_engines::slides::SlideRenderer::system()
                .and_then(|r| r.svg_to_png(&svg))
                .map_err(|e| AppError::ChartFailed(e.message))?
        }
        Some(e) if e.eq_ignore_ascii_case("svg") => svg.into_bytes(),
        _ => {
            return Err(AppError::Invalid(format!(
                "the chart {} must be an .svg or a .png file",
                path.display()
            )));
        }
    };
    tokio::fs::write(path, bytes)
        .await
        .map_err(|source| AppError::Io {
            path: path.to_path_buf(),
            source,
        })
}
