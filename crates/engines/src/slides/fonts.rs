//! Fonts for slides, from the system (Debian's fonts-dejavu-core and fonts-noto-cjk), and
//! text measurement with the same fonts the renderer uses.

use classkit_jobs::JobError;
use resvg::usvg::fontdb;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Latin, Greek and Cyrillic text.
pub const LATIN_FAMILY: &str = "DejaVu Sans";
/// Korean (and Chinese and Japanese) text.
pub const CJK_FAMILY: &str = "Noto Sans CJK KR";

/// The font database and glyph widths, loaded once and shared.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    faces: Vec<(fontdb::ID, bool)>,
    /// Advance widths in ems, by (character, bold, CJK line).
    widths: Mutex<HashMap<(char, bool, bool), f32>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.faces.len())
            .finish()
    }
}

impl Fonts {
    /// Loads the system fonts; the slide fonts must be among them.
    pub fn system() -> Result<Self, JobError> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        Self::from_database(db)
    }

    pub fn from_database(db: fontdb::Database) -> Result<Self, JobError> {
        let mut faces = Vec::new();
        for family in [LATIN_FAMILY, CJK_FAMILY] {
            for bold in [false, true] {
                let query = fontdb::Query {
                    families: &[fontdb::Family::Name(family)],
                    weight: if bold {
                        fontdb::Weight::BOLD
                    } else {
                        fontdb::Weight::NORMAL
                    },
                    ..fontdb::Query::default()
                };
                match db.query(&query) {
                    Some(id) => faces.push((id, bold)),
                    None => {
                        return Err(JobError::permanent(format!(
                            "the slide font {family:?} is not installed (Debian packages fonts-dejavu-core and fonts-noto-cjk; scripts/setup installs them)"
                        )));
                    }
                }
            }
        }
        Ok(Self {
            db: Arc::new(db),
            faces,
            widths: Mutex::new(HashMap::new()),
        })
    }

    pub fn database(&self) -> Arc<fontdb::Database> {
        self.db.clone()
    }

    /// True when `text` needs the CJK font (the Latin one lacks some of its characters).
    /// Such a line is set in the CJK font throughout, which has Latin letters too.
    pub fn needs_cjk(&self, text: &str) -> bool {
        text.chars()
            .any(|c| !c.is_whitespace() && !c.is_control() && self.advance_in(0, c).is_none())
    }

    /// The font families, in order, for a line of `text`.
    pub fn families(&self, text: &str) -> &'static str {
        if self.needs_cjk(text) {
            "Noto Sans CJK KR, DejaVu Sans"
        } else {
            "DejaVu Sans, Noto Sans CJK KR"
        }
    }

    /// The advance of `c` in ems in face `i` of `faces` (0 and 1: Latin, 2 and 3: CJK).
    fn advance_in(&self, i: usize, c: char) -> Option<f32> {
        let (id, _) = self.faces.get(i)?;
        self.db
            .with_face_data(*id, |data, index| {
                let face = ttf_parser::Face::parse(data, index).ok()?;
                let glyph = face.glyph_index(c)?;
                let advance = face.glyph_hor_advance(glyph)?;
                Some(f32::from(advance) / f32::from(face.units_per_em()))
            })
            .flatten()
    }

    /// The advance of `c` in ems in the line's font (the CJK one when `cjk`), falling back
    /// to the other as the renderer does; a character no font has counts as wide.
    fn advance_em(&self, c: char, bold: bool, cjk: bool) -> f32 {
        let key = (c, bold, cjk);
        if let Ok(widths) = self.widths.lock()
            && let Some(w) = widths.get(&key)
        {
            return *w;
        }
        let b = usize::from(bold);
        let order = if cjk { [2 + b, b] } else { [b, 2 + b] };
        let width = order
            .iter()
            .find_map(|i| self.advance_in(*i, c))
            .unwrap_or(if c.is_control() { 0.0 } else { 1.0 });
        if let Ok(mut widths) = self.widths.lock() {
            widths.insert(key, width);
        }
        width
    }

    /// The width of `text` at `size` pixels, in the font its line is set in.
    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let cjk = self.needs_cjk(text);
        text.chars()
            .map(|c| self.advance_em(c, bold, cjk))
            .sum::<f32>()
            * size
    }
}
