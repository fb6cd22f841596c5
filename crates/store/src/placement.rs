//! Which order keys (`classkit_model::order`) the store writes when a slide moves, and which
//! an imported course's lessons and slides keep.
//!
//! Siblings sort by (order key, id). A move writes one key, between the neighbours' at the
//! new place, and leaves every other row alone. Only neighbours that share a key leave no key
//! between them (two people added a slide at one place offline, and sync kept both: the tie
//! is broken by id); then the tied siblings after the place get new keys too, as few as
//! give the order asked for.

use classkit_model::order;

/// A sibling as ordering sees it: its id as stored, and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    pub id: String,
    pub key: String,
}

/// The keys that put `moving` at index `at` of `others` (its siblings in order, itself left
/// out; an index past the end means last): `moving`'s first, then those of siblings that
/// must change with it, which is none unless keys tie or are malformed.
pub(crate) fn keys_for_place(others: &[Placed], at: usize, moving: &str) -> Vec<Placed> {
    let at = at.min(others.len());
    let lower = at.checked_sub(1).and_then(|i| others.get(i));
    // Try one new key, then rewrite one more sibling after the place each time.
    for end in at..=others.len() {
        let upper = others.get(end);
        let ids = std::iter::once(moving).chain(others[at..end].iter().map(|s| s.id.as_str()));
        let mut written: Vec<Placed> = Vec::with_capacity(end - at + 1);
        for id in ids {
            let before = written.last().or(lower).map(|s| s.key.as_str());
            let key = order::between(before, upper.map(|s| s.key.as_str()));
            written.push(Placed {
                id: id.to_string(),
                key,
            });
        }
        if in_order(lower.into_iter().chain(&written).chain(upper)) {
            return written;
        }
    }
    // Only a malformed key before the place gets here (a library edited by hand): the
    // whole list gets new keys, and those that change are written.
    let mut ids: Vec<&str> = others.iter().map(|s| s.id.as_str()).collect();
    ids.insert(at, moving);
    let mut all: Vec<Placed> = ids
        .into_iter()
        .zip(order::sequence(others.len() + 1))
        .map(|(id, key)| Placed {
            id: id.to_string(),
            key,
        })
        .collect();
    let first = all.remove(at);
    all.retain(|p| !others.contains(p));
    all.insert(0, first);
    all
}

/// True when each sibling sorts strictly after the one before it.
fn in_order<'a>(list: impl Iterator<Item = &'a Placed>) -> bool {
    let list: Vec<&Placed> = list.collect();
    list.windows(2)
        .all(|w| (w[0].key.as_str(), w[0].id.as_str()) < (w[1].key.as_str(), w[1].id.as_str()))
}

/// The keys an imported list of siblings is stored with, in the list's order: its own when
/// every one is well formed and each sorts after the one before (a course this version
/// exported), new ones otherwise (older bundles and new outlines have none).
pub(crate) fn imported_keys(given: &[&str]) -> Vec<String> {
    let kept = given.iter().all(|k| order::is_valid(k)) && given.windows(2).all(|w| w[0] < w[1]);
    match kept {
        true => given.iter().map(|k| k.to_string()).collect(),
        false => order::sequence(given.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(keys: &[&str]) -> Vec<Placed> {
        keys.iter()
            .enumerate()
            .map(|(i, k)| Placed {
                id: format!("id-{i}"),
                key: k.to_string(),
            })
            .collect()
    }

    /// The order after writing `written` and putting `moving` in: ids sorted by (key, id).
    fn order_after(others: &[Placed], written: &[Placed], moving: &str) -> Vec<String> {
        let mut all: Vec<Placed> = others
            .iter()
            .map(|s| written.iter().find(|w| w.id == s.id).unwrap_or(s).clone())
            .collect();
        all.extend(written.iter().filter(|w| w.id == moving).cloned());
        all.sort_by(|a, b| (&a.key, &a.id).cmp(&(&b.key, &b.id)));
        all.into_iter().map(|p| p.id).collect()
    }

    fn expected(others: &[Placed], at: usize, moving: &str) -> Vec<String> {
        let mut ids: Vec<String> = others.iter().map(|s| s.id.clone()).collect();
        ids.insert(at.min(ids.len()), moving.to_string());
        ids
    }

    #[test]
    fn distinct_keys_need_one_new_key_anywhere() {
        let others = list(
            &order::sequence(4)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        for at in 0..=5 {
            let written = keys_for_place(&others, at, "moving");
            assert_eq!(written.len(), 1, "at {at}: {written:?}");
            assert_eq!(written[0].id, "moving");
            assert_eq!(
                order_after(&others, &written, "moving"),
                expected(&others, at, "moving")
            );
        }
    }

    #[test]
    fn tied_neighbours_get_new_keys_only_after_the_place() {
        let keys = order::sequence(2);
        let (k1, k2) = (keys[0].as_str(), keys[1].as_str());
        // A tie followed by a greater key, and a tie at the end of the list.
        for shape in [vec![k1, k1, k2], vec![k1, k1, k1], vec![k2, k1, k1, k1]] {
            let mut others = list(&shape);
            others.sort_by(|a, b| (&a.key, &a.id).cmp(&(&b.key, &b.id)));
            for at in 0..=others.len() {
                let written = keys_for_place(&others, at, "moving");
                assert_eq!(written[0].id, "moving");
                assert_eq!(
                    order_after(&others, &written, "moving"),
                    expected(&others, at, "moving"),
                    "{shape:?} at {at}: {written:?}"
                );
                // Nothing before the place is rewritten.
                for w in &written[1..] {
                    let i = others.iter().position(|o| o.id == w.id).expect("a sibling");
                    assert!(i >= at, "{shape:?} at {at}: rewrote {w:?}");
                }
            }
        }
    }

    #[test]
    fn malformed_keys_still_give_the_order_asked_for() {
        let others = list(&["", "zz", "zz"]);
        for at in 0..=3 {
            let written = keys_for_place(&others, at, "moving");
            assert_eq!(
                order_after(&others, &written, "moving"),
                expected(&others, at, "moving"),
                "at {at}: {written:?}"
            );
            assert!(written.iter().all(|w| order::is_valid(&w.key)));
        }
    }

    #[test]
    fn imported_keys_are_kept_only_when_valid_and_increasing() {
        let keys = order::sequence(3);
        let given: Vec<&str> = keys.iter().map(String::as_str).collect();
        assert_eq!(imported_keys(&given), keys);
        for bad in [
            vec![given[0], given[2], given[1]],
            vec![given[0], given[0], given[1]],
            vec![given[0], "", given[2]],
            vec!["nonsense", given[1], given[2]],
        ] {
            let fresh = imported_keys(&bad);
            assert_eq!(fresh, order::sequence(3), "{bad:?}");
        }
        assert!(imported_keys(&[]).is_empty());
    }
}
