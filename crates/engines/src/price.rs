//! Price tables and cost arithmetic. Money is counted in micro-dollars (millionths of a US
//! dollar) as integers, so sums are exact.

use serde::{Deserialize, Serialize};

/// What an engine charges, in US dollars as providers publish them. Builtin engines are free.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// Speech: per million characters of input.
    #[serde(default)]
    pub per_million_chars: f64,
    /// Language models: per thousand input (prompt) tokens.
    #[serde(default)]
    pub per_1k_input_tokens: f64,
    /// Language models: per thousand output (completion) tokens.
    #[serde(default)]
    pub per_1k_output_tokens: f64,
    /// Images: per image.
    #[serde(default)]
    pub per_image: f64,
}

/// Dollars to micro-dollars, rounded up (an estimate never undercounts), after dropping the
/// floating-point noise that would round 555.0000000001 up to 556.
fn micros(dollars: f64) -> i64 {
    let exact = dollars * 1_000_000.0;
    let nearest = exact.round();
    if (exact - nearest).abs() < 1e-6 {
        nearest as i64
    } else {
        exact.ceil() as i64
    }
}

impl PriceTable {
    /// True when every price is zero.
    pub fn is_free(&self) -> bool {
        self.per_million_chars == 0.0
            && self.per_1k_input_tokens == 0.0
            && self.per_1k_output_tokens == 0.0
            && self.per_image == 0.0
    }

    /// The prices are numbers a provider could charge: finite and not negative.
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in [
            ("per_million_chars", self.per_million_chars),
            ("per_1k_input_tokens", self.per_1k_input_tokens),
            ("per_1k_output_tokens", self.per_1k_output_tokens),
            ("per_image", self.per_image),
        ] {
            if !v.is_finite() || !(0.0..=1e6).contains(&v) {
                return Err(format!(
                    "price {name} = {v} must be a number of dollars from 0 to 1,000,000"
                ));
            }
        }
        Ok(())
    }

    /// Cost of speaking `chars` characters.
    pub fn speech_micros(&self, chars: usize) -> i64 {
        micros(self.per_million_chars * chars as f64 / 1_000_000.0)
    }

    /// Cost of a language-model call.
    pub fn tokens_micros(&self, input_tokens: u64, output_tokens: u64) -> i64 {
        micros(
            self.per_1k_input_tokens * input_tokens as f64 / 1000.0
                + self.per_1k_output_tokens * output_tokens as f64 / 1000.0,
        )
    }

    /// Cost of `images` images.
    pub fn images_micros(&self, images: u32) -> i64 {
        micros(self.per_image * f64::from(images))
    }
}

/// Micro-dollars as dollars for people: `$0.001234`, `$12.50`.
pub fn format_usd(micros: i64) -> String {
    let dollars = micros as f64 / 1_000_000.0;
    if micros != 0 && micros.abs() < 10_000 {
        format!("${dollars:.6}")
    } else {
        format!("${dollars:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_round_up_to_the_micro_dollar() {
        let tts = PriceTable {
            per_million_chars: 15.0,
            ..PriceTable::default()
        };
        assert_eq!(tts.speech_micros(1_000_000), 15_000_000);
        assert_eq!(tts.speech_micros(1), 15);
        for n in 0..5000 {
            assert_eq!(tts.speech_micros(n), 15 * n as i64, "{n} characters");
        }
        let llm = PriceTable {
            per_1k_input_tokens: 0.00015,
            per_1k_output_tokens: 0.0006,
            ..PriceTable::default()
        };
        assert_eq!(llm.tokens_micros(1000, 1000), 750);
        assert_eq!(
            llm.tokens_micros(1, 0),
            1,
            "never rounds a cost down to nothing"
        );
        assert!(PriceTable::default().is_free());
        assert_eq!(format_usd(750), "$0.000750");
        assert_eq!(format_usd(12_500_000), "$12.50");
    }

    #[test]
    fn negative_or_nan_prices_are_refused() {
        let bad = PriceTable {
            per_image: -1.0,
            ..PriceTable::default()
        };
        assert!(bad.check().expect_err("refused").contains("per_image"));
        let nan = PriceTable {
            per_million_chars: f64::NAN,
            ..PriceTable::default()
        };
        assert!(nan.check().is_err());
    }
}
