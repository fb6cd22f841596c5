//! Order keys: where a lesson sits in its course and a slide in its lesson.
//!
//! A key is a short ASCII string that sorts byte by byte (ties broken by the entity's id).
//! Moving or inserting one item makes one new key between its neighbours' and leaves every
//! other key as it was, so two people who reorder different slides offline both keep their
//! moves when they sync, where renumbered indexes would collide.
//!
//! The keys are the base-62 "fractional indexing" keys that collaborative editors use (after
//! David Greenspan's description): an integer part, whose first character says how many
//! digits follow (`a0`, `a1` … `az`, `b00` …), then an optional fraction that never ends in
//! `0`. Appending grows the integer (a list of 3,900 slides needs 3-character keys);
//! inserting between two keys extends the fraction. The `fractional_index` crate was tried
//! first and dropped: its `new_between` underflows on keys that share a zero byte, which its
//! own `new_before` makes after 128 inserts at the front (a panic in a debug build, a key in
//! the wrong place in a release build).

/// The digits, in ASCII order (so byte order is numeric order).
const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// The key of the first item of a list made from nothing.
const ZERO: &str = "a0";
/// The smallest integer part; no key may be just this (nothing could go before it).
const SMALLEST: &str = "A00000000000000000000000000";

/// The longest key accepted from outside.
pub const MAX_KEY_LEN: usize = 256;

fn digit(c: u8) -> Option<usize> {
    DIGITS.iter().position(|d| *d == c)
}

/// How long the integer part is, from its first character.
fn integer_len(head: u8) -> Option<usize> {
    match head {
        b'a'..=b'z' => Some(usize::from(head - b'a') + 2),
        b'A'..=b'Z' => Some(usize::from(b'Z' - head) + 2),
        _ => None,
    }
}

/// The key split into its integer part and fraction, when it is well formed.
fn split(key: &str) -> Option<(&str, &str)> {
    let bytes = key.as_bytes();
    let n = integer_len(*bytes.first()?)?;
    if key.len() < n || key.len() > MAX_KEY_LEN || key == SMALLEST {
        return None;
    }
    if !bytes[1..].iter().all(|b| digit(*b).is_some()) {
        return None;
    }
    let (int, frac) = key.split_at(n);
    if frac.ends_with('0') {
        return None;
    }
    Some((int, frac))
}

/// Whether `key` is a well-formed order key.
pub fn is_valid(key: &str) -> bool {
    split(key).is_some()
}

/// A fraction strictly between `a` and `b` (`None`: 1), both without trailing zeros.
fn midpoint(a: &[u8], b: Option<&[u8]>) -> Vec<u8> {
    if let Some(b) = b {
        // The common prefix (with `a` padded by zeros) stays.
        let n = (0..b.len())
            .take_while(|&i| a.get(i).copied().unwrap_or(b'0') == b[i])
            .count();
        if n > 0 {
            let mut out = b[..n].to_vec();
            out.extend(midpoint(a.get(n..).unwrap_or(&[]), Some(&b[n..])));
            return out;
        }
    }
    let da = a.first().and_then(|c| digit(*c)).unwrap_or(0);
    let db = b
        .and_then(|b| b.first())
        .and_then(|c| digit(*c))
        .unwrap_or(DIGITS.len());
    if db - da > 1 {
        vec![DIGITS[(da + db).div_ceil(2)]]
    } else if let Some(b) = b.filter(|b| b.len() > 1) {
        // The first digits are adjacent and `b` goes on: `b`'s first digit alone is between.
        b[..1].to_vec()
    } else {
        let mut out = vec![DIGITS[da]];
        out.extend(midpoint(a.get(1..).unwrap_or(&[]), None));
        out
    }
}

/// The next integer part, or `None` past the largest.
fn increment(int: &str) -> Option<String> {
    let bytes = int.as_bytes();
    let head = bytes[0];
    let mut digits: Vec<u8> = bytes[1..].to_vec();
    for d in digits.iter_mut().rev() {
        let i = digit(*d)? + 1;
        if i < DIGITS.len() {
            *d = DIGITS[i];
            return String::from_utf8(std::iter::once(head).chain(digits).collect()).ok();
        }
        *d = b'0';
    }
    // Every digit carried: one more digit (or from the negatives to `a0`).
    match head {
        b'Z' => Some(ZERO.to_string()),
        b'z' => None,
        _ => {
            let head = head + 1;
            if head > b'a' {
                digits.push(b'0');
            } else {
                digits.pop();
            }
            String::from_utf8(std::iter::once(head).chain(digits).collect()).ok()
        }
    }
}

/// The previous integer part, or `None` before the smallest.
fn decrement(int: &str) -> Option<String> {
    let bytes = int.as_bytes();
    let head = bytes[0];
    let mut digits: Vec<u8> = bytes[1..].to_vec();
    for d in digits.iter_mut().rev() {
        let i = digit(*d)?;
        if i > 0 {
            *d = DIGITS[i - 1];
            return String::from_utf8(std::iter::once(head).chain(digits).collect()).ok();
        }
        *d = b'z';
    }
    match head {
        b'a' => Some("Zz".to_string()),
        b'A' => None,
        _ => {
            let head = head - 1;
            if head < b'Z' {
                digits.push(b'z');
            } else {
                digits.pop();
            }
            String::from_utf8(std::iter::once(head).chain(digits).collect()).ok()
        }
    }
}

fn joined(int: &str, frac: &[u8]) -> String {
    let mut out = int.to_string();
    out.push_str(std::str::from_utf8(frac).unwrap_or(""));
    out
}

/// A key between `before` and `after` (either may be absent: the start or end of the list).
/// A malformed neighbour is treated as absent, and neighbours out of order (equal keys from
/// a tie) give a key after `before`, so a bad key never stops an edit.
pub fn between(before: Option<&str>, after: Option<&str>) -> String {
    let a = before.filter(|k| is_valid(k));
    let b = after.filter(|k| is_valid(k));
    match (a, b) {
        (Some(a), Some(b)) if a >= b => between(Some(a), None),
        (None, None) => ZERO.to_string(),
        (None, Some(b)) => {
            let Some((int, frac)) = split(b) else {
                return ZERO.to_string();
            };
            if int == SMALLEST {
                return joined(int, &midpoint(&[], Some(frac.as_bytes())));
            }
            if !frac.is_empty() {
                return int.to_string();
            }
            decrement(int).unwrap_or_else(|| joined(int, &midpoint(&[], Some(frac.as_bytes()))))
        }
        (Some(a), None) => {
            let Some((int, frac)) = split(a) else {
                return ZERO.to_string();
            };
            increment(int).unwrap_or_else(|| joined(int, &midpoint(frac.as_bytes(), None)))
        }
        (Some(a), Some(b)) => {
            let (Some((ia, fa)), Some((ib, fb))) = (split(a), split(b)) else {
                return ZERO.to_string();
            };
            if ia == ib {
                return joined(ia, &midpoint(fa.as_bytes(), Some(fb.as_bytes())));
            }
            match increment(ia) {
                Some(next) if next.as_str() < b => next,
                _ => joined(ia, &midpoint(fa.as_bytes(), None)),
            }
        }
    }
}

/// `n` keys in increasing order, for a list written from scratch (`a0`, `a1`, …).
pub fn sequence(n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let next = between(out.last().map(String::as_str), None);
        out.push(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_between(a: Option<&str>, b: Option<&str>) -> String {
        let k = between(a, b);
        assert!(is_valid(&k), "{k:?} from {a:?}, {b:?}");
        if let Some(a) = a {
            assert!(a < k.as_str(), "{a} < {k}");
        }
        if let Some(b) = b {
            assert!(k.as_str() < b, "{k} < {b}");
        }
        k
    }

    #[test]
    fn appending_counts_up_and_stays_short() {
        let keys = sequence(4000);
        assert_eq!(&keys[..3], ["a0", "a1", "a2"]);
        assert_eq!(keys[62], "b00");
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert!(keys.iter().all(|k| is_valid(k) && k.len() <= 4));
    }

    #[test]
    fn inserting_at_the_front_the_end_and_one_place_keeps_order() {
        // At the front, 500 times: into the negative integers, never stuck.
        let mut first = between(None, None);
        for _ in 0..500 {
            first = assert_between(None, Some(&first));
        }
        // Always between the first two, 500 times: the fraction grows slowly.
        let (lo, mut hi) = ("a0".to_string(), "a1".to_string());
        for _ in 0..500 {
            hi = assert_between(Some(&lo), Some(&hi));
        }
        assert!(hi.len() < 120, "{}", hi.len());
        // Alternating sides of a gap.
        let (mut lo, mut hi) = ("a0".to_string(), "a1".to_string());
        for i in 0..300 {
            let k = assert_between(Some(&lo), Some(&hi));
            if i % 2 == 0 { lo = k } else { hi = k }
        }
    }

    #[test]
    fn random_inserts_keep_a_list_in_order() {
        // A small deterministic generator: the same list every run.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut list: Vec<String> = Vec::new();
        for _ in 0..2000 {
            let at = (next() % (list.len() as u64 + 1)) as usize;
            let before = at.checked_sub(1).map(|i| list[i].as_str());
            let after = list.get(at).map(String::as_str);
            let k = assert_between(before, after);
            list.insert(at, k);
        }
        assert!(list.windows(2).all(|w| w[0] < w[1]));
        assert!(
            list.iter().all(|k| k.len() <= 40),
            "{:?}",
            list.iter().map(String::len).max()
        );
    }

    #[test]
    fn malformed_or_hostile_keys_are_refused_and_never_fatal() {
        for bad in [
            "",
            "0",
            "a",
            "b0",
            "a00",
            "a1 ",
            "a0/../",
            "A00000000000000000000000000",
            "'; DROP",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
        assert!(!is_valid(&format!("a0{}", "1".repeat(MAX_KEY_LEN))));
        // A malformed neighbour is ignored; equal neighbours give a key after them.
        assert!(is_valid(&between(Some("nonsense"), None)));
        assert_eq!(between(Some("a5"), Some("a5")), "a6");
        assert!(is_valid(&between(Some("a5"), Some("a3"))));
    }
}
