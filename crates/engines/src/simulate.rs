//! The billing simulator: what a teaching load would cost a month with each combination of
//! engines, and the cheapest combination good enough for a quality tier ("sweet spot").

use crate::config::{EngineConfig, EngineKind, EnginesConfig};
use crate::price::format_usd;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// A teaching load, from a real course or written by hand (TOML).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub instructors: f64,
    /// Lessons each instructor makes a month.
    pub lessons_per_month: f64,
    pub slides_per_lesson: f64,
    /// Characters of narration per slide.
    pub narration_chars_per_slide: f64,
    /// Language-model tokens per slide for its drafts: prompt and answer.
    pub draft_input_tokens_per_slide: f64,
    pub draft_output_tokens_per_slide: f64,
    pub images_per_lesson: f64,
    /// Extra takes, as a share of the first (0.3: three items in ten are made again).
    pub regeneration_rate: f64,
    /// Share of those extra takes that the cache answers (unchanged input).
    pub cache_hit_rate: f64,
}

impl Profile {
    /// The figures make sense: finite, not negative, rates where rates belong.
    pub fn check(&self) -> Result<(), String> {
        let fields = [
            ("instructors", self.instructors),
            ("lessons_per_month", self.lessons_per_month),
            ("slides_per_lesson", self.slides_per_lesson),
            ("narration_chars_per_slide", self.narration_chars_per_slide),
            (
                "draft_input_tokens_per_slide",
                self.draft_input_tokens_per_slide,
            ),
            (
                "draft_output_tokens_per_slide",
                self.draft_output_tokens_per_slide,
            ),
            ("images_per_lesson", self.images_per_lesson),
            ("regeneration_rate", self.regeneration_rate),
            ("cache_hit_rate", self.cache_hit_rate),
        ];
        for (name, v) in fields {
            if !v.is_finite() || !(0.0..=1e9).contains(&v) {
                return Err(format!(
                    "{name} = {v} must be a number from 0 to 1,000,000,000"
                ));
            }
        }
        if self.cache_hit_rate > 1.0 {
            return Err(format!(
                "cache_hit_rate = {} must be at most 1",
                self.cache_hit_rate
            ));
        }
        Ok(())
    }

    /// A profile from TOML text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Self, String> {
        let p: Self = toml::from_str(text).map_err(|e| format!("{path}: {e}"))?;
        p.check().map_err(|e| format!("{path}: {e}"))?;
        Ok(p)
    }

    /// Takes of each item: the first, plus the regenerations the cache does not answer.
    fn takes(&self) -> f64 {
        1.0 + self.regeneration_rate * (1.0 - self.cache_hit_rate)
    }
}

/// One speech engine, one text engine and (when there are any) one image engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Combination {
    pub tts: String,
    pub text: String,
    pub image: Option<String>,
}

impl std::fmt::Display for Combination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} + {}", self.tts, self.text)?;
        if let Some(image) = &self.image {
            write!(f, " + {image}")?;
        }
        Ok(())
    }
}

/// What one combination costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub combination: Combination,
    /// The lowest quality among its engines.
    pub quality: u8,
    /// The qualities of its engines added up: the better of two at equal cost and tier.
    pub quality_sum: u16,
    pub speech_per_lesson_micros: i64,
    pub drafts_per_lesson_micros: i64,
    pub images_per_lesson_micros: i64,
    pub per_lesson_micros: i64,
    pub per_month_micros: i64,
}

/// The result of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    pub profile: Profile,
    pub lessons_per_month: f64,
    /// Cheapest first.
    pub rows: Vec<Row>,
    pub min_quality: u8,
    /// The cheapest combination of at least `min_quality` (the better one at equal cost).
    pub sweet_spot: Option<Row>,
}

fn cost_of(engine: &EngineConfig, profile: &Profile) -> i64 {
    let slides = profile.slides_per_lesson;
    let takes = profile.takes();
    let p = &engine.price;
    let dollars = match engine.kind {
        EngineKind::Tts => p.per_million_chars * profile.narration_chars_per_slide * slides / 1e6,
        EngineKind::Text => {
            p.per_1k_input_tokens * profile.draft_input_tokens_per_slide * slides / 1000.0
                + p.per_1k_output_tokens * profile.draft_output_tokens_per_slide * slides / 1000.0
        }
        EngineKind::Image => p.per_image * profile.images_per_lesson,
    };
    // Rounded up, as every estimate: a cost is never undercounted.
    // (Less a hair, so float noise in an exact amount does not add a micro-dollar.)
    (dollars * takes * 1e6 - 1e-6).ceil().max(0.0) as i64
}

/// Every combination of the configured engines (or those named in `only`), priced for
/// `profile`.
pub fn simulate(
    config: &EnginesConfig,
    profile: &Profile,
    min_quality: u8,
    only: &[String],
) -> Result<Simulation, String> {
    profile.check()?;
    for id in only {
        if config.get(id).is_none() {
            return Err(format!("there is no engine {id:?} in the configuration"));
        }
    }
    let of = |kind: EngineKind| -> Vec<&EngineConfig> {
        config
            .engines()
            .iter()
            .filter(|e| e.kind == kind && (only.is_empty() || only.contains(&e.id)))
            .collect()
    };
    let (tts, text, images) = (
        of(EngineKind::Tts),
        of(EngineKind::Text),
        of(EngineKind::Image),
    );
    if tts.is_empty() || text.is_empty() {
        return Err("a combination needs a speech engine and a text engine".into());
    }
    let wants_images = profile.images_per_lesson > 0.0 && !images.is_empty();
    let image_choices: Vec<Option<&EngineConfig>> = if wants_images {
        images.iter().copied().map(Some).collect()
    } else {
        vec![None]
    };
    let lessons = profile.lessons_per_month * profile.instructors;
    let mut rows = Vec::new();
    for t in &tts {
        for x in &text {
            for i in &image_choices {
                let speech = cost_of(t, profile);
                let drafts = cost_of(x, profile);
                let pictures = i.map(|i| cost_of(i, profile)).unwrap_or(0);
                let per_lesson = speech.saturating_add(drafts).saturating_add(pictures);
                let quality = [Some(t.quality), Some(x.quality), i.map(|i| i.quality)]
                    .into_iter()
                    .flatten()
                    .min()
                    .unwrap_or(1);
                let quality_sum = [Some(t.quality), Some(x.quality), i.map(|i| i.quality)]
                    .into_iter()
                    .flatten()
                    .map(u16::from)
                    .sum();
                rows.push(Row {
                    combination: Combination {
                        tts: t.id.clone(),
                        text: x.id.clone(),
                        image: i.map(|i| i.id.clone()),
                    },
                    quality,
                    quality_sum,
                    speech_per_lesson_micros: speech,
                    drafts_per_lesson_micros: drafts,
                    images_per_lesson_micros: pictures,
                    per_lesson_micros: per_lesson,
                    per_month_micros: (per_lesson as f64 * lessons).round() as i64,
                });
            }
        }
    }
    rows.sort_by(|a, b| {
        a.per_month_micros
            .cmp(&b.per_month_micros)
            .then(b.quality.cmp(&a.quality))
            .then(b.quality_sum.cmp(&a.quality_sum))
            .then(a.combination.to_string().cmp(&b.combination.to_string()))
    });
    let sweet_spot = rows.iter().find(|r| r.quality >= min_quality).cloned();
    Ok(Simulation {
        profile: profile.clone(),
        lessons_per_month: lessons,
        rows,
        min_quality,
        sweet_spot,
    })
}

impl Simulation {
    /// The table people read.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let width = self
            .rows
            .iter()
            .map(|r| r.combination.to_string().chars().count())
            .max()
            .unwrap_or(11)
            .max(11);
        let _ = writeln!(
            out,
            "{:<width$}  quality  {:>12}  {:>14}",
            "combination", "per lesson", "per month"
        );
        for r in &self.rows {
            let mark = if self.sweet_spot.as_ref() == Some(r) {
                "  ← sweet spot"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{:<width$}  {:>7}  {:>12}  {:>14}{mark}",
                r.combination.to_string(),
                r.quality,
                format_usd(r.per_lesson_micros),
                format_usd(r.per_month_micros),
            );
        }
        let _ = writeln!(out, "({:.1} lessons a month)", self.lessons_per_month);
        match &self.sweet_spot {
            Some(r) => {
                let _ = writeln!(
                    out,
                    "sweet spot for quality {} or better: {} at {} a month",
                    self.min_quality,
                    r.combination,
                    format_usd(r.per_month_micros)
                );
            }
            None => {
                let _ = writeln!(out, "no combination reaches quality {}", self.min_quality);
            }
        }
        out
    }

    /// A chart of cost a month against quality tier, as SVG: numbered points, and a legend
    /// of the combinations, cheapest first.
    pub fn chart_svg(&self) -> String {
        let legend_w = 420.0f64;
        let (plot_w, h) = (620.0f64, (140.0 + 18.0 * self.rows.len() as f64).max(520.0));
        let w = plot_w + legend_w;
        let (left, right, top, bottom) = (100.0, 30.0, 70.0, 80.0);
        let max = self
            .rows
            .iter()
            .map(|r| r.per_month_micros)
            .max()
            .unwrap_or(0)
            .max(1) as f64
            * 1.1;
        let x = |q: u8| left + (f64::from(q) - 0.5) / 5.0 * (plot_w - left - right);
        let y = |m: f64| h - bottom - (m / max) * (h - top - bottom);
        let mut svg = String::new();
        let _ = write!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Noto Sans CJK KR" font-size="13"><rect width="{w}" height="{h}" fill="#ffffff"/>"##
        );
        let _ = write!(
            svg,
            r##"<text x="{left}" y="36" font-size="18" font-weight="bold" fill="#1a202c">Cost a month by quality tier ({:.0} lessons a month)</text>"##,
            self.lessons_per_month
        );
        for i in 0..=4 {
            let m = max / 4.0 * f64::from(i);
            let yy = y(m);
            let _ = write!(
                svg,
                r##"<line x1="{left}" y1="{yy}" x2="{}" y2="{yy}" stroke="#e2e8f0"/><text x="{}" y="{}" text-anchor="end" fill="#4a5568">{}</text>"##,
                plot_w - right,
                left - 8.0,
                yy + 4.0,
                xml(&format_usd(m as i64))
            );
        }
        for q in 1..=5u8 {
            let _ = write!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="middle" fill="#4a5568">{q}</text>"##,
                x(q),
                h - bottom + 22.0
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#1a202c">quality tier (1 basic – 5 best)</text><line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#1a202c"/><line x1="{left}" y1="{top}" x2="{left}" y2="{}" stroke="#1a202c"/>"##,
            (left + plot_w - right) / 2.0,
            h - bottom + 50.0,
            h - bottom,
            plot_w - right,
            h - bottom,
            h - bottom
        );
        // Points at the same tier are spread sideways.
        let mut at_tier: std::collections::HashMap<u8, usize> = Default::default();
        for (n, r) in self.rows.iter().enumerate() {
            let k = at_tier.entry(r.quality).or_default();
            let dx = ((*k % 5) as f64 - 2.0) * 16.0;
            *k += 1;
            let (cx, cy) = (x(r.quality) + dx, y(r.per_month_micros as f64));
            let sweet = self.sweet_spot.as_ref() == Some(r);
            let fill = if sweet { "#c53030" } else { "#2b6cb0" };
            let radius = if sweet { 9 } else { 7 };
            let _ = write!(
                svg,
                r##"<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{fill}" fill-opacity="0.85"/><text x="{cx}" y="{}" text-anchor="middle" font-size="9" fill="#ffffff">{}</text>"##,
                cy + 3.0,
                n + 1
            );
            let ly = top + 18.0 * n as f64;
            let _ = write!(
                svg,
                r##"<text x="{}" y="{ly}" font-size="12" fill="{fill}"{}>{}. {} — q{}, {}</text>"##,
                plot_w + 10.0,
                if sweet { r#" font-weight="bold""# } else { "" },
                n + 1,
                xml(&r.combination.to_string()),
                r.quality,
                xml(&format_usd(r.per_month_micros))
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGINES: &str = r#"
[[engine]]
id = "cloud-tts"
kind = "tts"
provider = "openai"
endpoint = "https://api.example.invalid/v1"
model = "tts-1"
quality = 4
price = { per_million_chars = 15.0 }

[[engine]]
id = "cloud-llm"
kind = "text"
provider = "openai"
endpoint = "https://api.example.invalid/v1"
model = "small"
quality = 4
price = { per_1k_input_tokens = 0.00015, per_1k_output_tokens = 0.0006 }
"#;

    fn profile() -> Profile {
        Profile {
            instructors: 10.0,
            lessons_per_month: 4.0,
            slides_per_lesson: 20.0,
            narration_chars_per_slide: 1000.0,
            draft_input_tokens_per_slide: 1000.0,
            draft_output_tokens_per_slide: 500.0,
            images_per_lesson: 0.0,
            regeneration_rate: 0.5,
            cache_hit_rate: 0.5,
        }
    }

    #[test]
    fn prices_every_combination_and_finds_the_sweet_spot() {
        let config = EnginesConfig::parse(ENGINES, "engines.toml").expect("config");
        let sim = simulate(&config, &profile(), 4, &[]).expect("simulate");
        // 2 speech engines builtin (espeak, piper) + 1 cloud; 1 text builtin + 1 cloud.
        assert_eq!(sim.rows.len(), 3 * 2);
        let cloud = sim
            .rows
            .iter()
            .find(|r| r.combination.tts == "cloud-tts" && r.combination.text == "cloud-llm")
            .expect("row");
        // Speech: 20 slides × 1000 chars × $15/1M = $0.30, × 1.25 takes = $0.375.
        assert_eq!(cloud.speech_per_lesson_micros, 375_000);
        // Drafts: 20 × (1000 × 0.00015 + 500 × 0.0006) / 1000 = $0.009, × 1.25 = $0.01125.
        assert_eq!(cloud.drafts_per_lesson_micros, 11_250);
        assert_eq!(cloud.per_month_micros, (375_000 + 11_250) * 40);
        assert_eq!(cloud.quality, 4);
        assert_eq!(
            sim.sweet_spot.as_ref(),
            Some(cloud),
            "the only quality-4 combination"
        );
        // Free builtin engines come first; asking for less quality picks them.
        let basic = simulate(&config, &profile(), 1, &[]).expect("simulate");
        let spot = basic.sweet_spot.expect("spot");
        assert_eq!(spot.per_month_micros, 0);
        assert_eq!(spot.combination.tts, "piper", "free and better than espeak");
        assert!(
            simulate(&config, &profile(), 5, &[])
                .expect("s")
                .sweet_spot
                .is_none()
        );
        let table = sim.table();
        assert!(
            table.contains("sweet spot for quality 4 or better: cloud-tts + cloud-llm"),
            "{table}"
        );
        let svg = sim.chart_svg();
        assert!(svg.starts_with("<svg") && svg.contains("cloud-tts + cloud-llm — q4"));
    }

    #[test]
    fn bad_profiles_and_engines_are_refused() {
        let config = EnginesConfig::default();
        let mut p = profile();
        p.cache_hit_rate = 1.5;
        assert!(
            simulate(&config, &p, 1, &[])
                .expect_err("rate")
                .contains("cache_hit_rate")
        );
        let mut p = profile();
        p.instructors = f64::NAN;
        assert!(simulate(&config, &p, 1, &[]).is_err());
        assert!(
            simulate(&config, &profile(), 1, &["nope".into()])
                .expect_err("engine")
                .contains("nope")
        );
        assert!(
            Profile::parse("instructors = 1", "p.toml")
                .expect_err("missing")
                .starts_with("p.toml")
        );
    }
}
