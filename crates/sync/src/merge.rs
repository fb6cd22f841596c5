//! Field-level three-way merge of JSON states: what a client's edit changed (from the state it
//! was made on, the *base*, to *mine*) applied over what the server holds now (*theirs*).
//!
//! The merge goes as deep as the data allows. Objects merge key by key; lists whose items all
//! carry a unique string `id` (questions, options, cards, regions, nodes, turns) merge item by
//! item, so two instructors who each add a question both keep theirs. Anything else (a text, a
//! number, a list of plain strings) is one value. Where both sides changed the same value
//! differently, the server's value stays current (it was accepted first) and the client's is
//! returned as a [`Conflict`] at the exact place, so nothing anyone typed is dropped.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// One step of a path into a state: an object's key, or the item of an id-keyed list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// An object's member.
    Key(String),
    /// The item with this `id` in a list of items with ids.
    Item(String),
}

/// A place in a state that stays valid when lists are reordered (items by id, not index).
pub type Path = Vec<Step>;

/// Both sides changed the same value: the server's (`theirs`) stayed; the client's (`mine`)
/// is kept here. `None` means "absent": deleted, or never there.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub path: Path,
    pub base: Option<Value>,
    pub mine: Option<Value>,
    pub theirs: Option<Value>,
}

/// A merged state and the conflicts found while merging.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub value: Value,
    pub conflicts: Vec<Conflict>,
}

/// Merges `mine` into `theirs`, both made from `base`.
pub fn merge(base: &Value, mine: &Value, theirs: &Value) -> Merged {
    let mut conflicts = Vec::new();
    let value = merge_present(base, mine, theirs, &mut Vec::new(), &mut conflicts);
    Merged { value, conflicts }
}

/// Merges values that may be absent; `None` in the result means absent.
fn merge_optional(
    base: Option<&Value>,
    mine: Option<&Value>,
    theirs: Option<&Value>,
    path: &mut Path,
    conflicts: &mut Vec<Conflict>,
) -> Option<Value> {
    if mine == base || mine == theirs {
        return theirs.cloned();
    }
    if theirs == base {
        return mine.cloned();
    }
    match (mine, theirs) {
        (Some(m), Some(t)) => {
            // Both changed (or both added) the value: merge inside it where it has parts.
            let empty = empty_like(m);
            let b = base.unwrap_or(&empty);
            Some(merge_present(b, m, t, path, conflicts))
        }
        // One side removed what the other changed: the server's side stays.
        _ => {
            conflicts.push(Conflict {
                path: path.clone(),
                base: base.cloned(),
                mine: mine.cloned(),
                theirs: theirs.cloned(),
            });
            theirs.cloned()
        }
    }
}

/// The empty container of a value's kind, as the base of two values both sides added.
fn empty_like(v: &Value) -> Value {
    match v {
        Value::Object(_) => Value::Object(Map::new()),
        Value::Array(_) => Value::Array(Vec::new()),
        _ => Value::Null,
    }
}

fn merge_present(
    base: &Value,
    mine: &Value,
    theirs: &Value,
    path: &mut Path,
    conflicts: &mut Vec<Conflict>,
) -> Value {
    if mine == base || mine == theirs {
        return theirs.clone();
    }
    if theirs == base {
        return mine.clone();
    }
    match (base, mine, theirs) {
        (Value::Object(b), Value::Object(m), Value::Object(t)) => {
            merge_objects(b, m, t, path, conflicts)
        }
        (_, Value::Object(m), Value::Object(t)) if !base.is_object() => {
            merge_objects(&Map::new(), m, t, path, conflicts)
        }
        (_, Value::Array(m), Value::Array(t)) => match (ids(m), ids(t)) {
            (Some(_), Some(_)) => {
                let b: &[Value] = match base {
                    Value::Array(b) if ids(b).is_some() => b,
                    _ => &[],
                };
                Value::Array(merge_items(b, m, t, path, conflicts))
            }
            _ => conflict(base, mine, theirs, path, conflicts),
        },
        _ => conflict(base, mine, theirs, path, conflicts),
    }
}

fn conflict(
    base: &Value,
    mine: &Value,
    theirs: &Value,
    path: &Path,
    conflicts: &mut Vec<Conflict>,
) -> Value {
    conflicts.push(Conflict {
        path: path.clone(),
        base: Some(base.clone()),
        mine: Some(mine.clone()),
        theirs: Some(theirs.clone()),
    });
    theirs.clone()
}

fn merge_objects(
    base: &Map<String, Value>,
    mine: &Map<String, Value>,
    theirs: &Map<String, Value>,
    path: &mut Path,
    conflicts: &mut Vec<Conflict>,
) -> Value {
    // The server's key order, then keys only the client added, in its order.
    let mut keys: Vec<&String> = theirs.keys().collect();
    keys.extend(mine.keys().filter(|k| !theirs.contains_key(*k)));
    keys.extend(
        base.keys()
            .filter(|k| !theirs.contains_key(*k) && !mine.contains_key(*k)),
    );
    let mut out = Map::new();
    for key in keys {
        path.push(Step::Key(key.clone()));
        let merged = merge_optional(
            base.get(key),
            mine.get(key),
            theirs.get(key),
            path,
            conflicts,
        );
        path.pop();
        if let Some(v) = merged {
            out.insert(key.clone(), v);
        }
    }
    Value::Object(out)
}

/// The items' ids in order, when every item is an object with a string `id` and no id repeats.
fn ids(items: &[Value]) -> Option<Vec<&str>> {
    let mut seen = HashSet::new();
    items
        .iter()
        .map(|item| {
            let id = item.get("id")?.as_str()?;
            seen.insert(id).then_some(id)
        })
        .collect()
}

fn by_id(items: &[Value]) -> HashMap<&str, &Value> {
    items
        .iter()
        .filter_map(|i| Some((i.get("id")?.as_str()?, i)))
        .collect()
}

fn merge_items(
    base: &[Value],
    mine: &[Value],
    theirs: &[Value],
    path: &mut Path,
    conflicts: &mut Vec<Conflict>,
) -> Vec<Value> {
    let (b, m, t) = (by_id(base), by_id(mine), by_id(theirs));
    let order = merged_order(base, mine, theirs, path, conflicts);
    let mut out = Vec::with_capacity(order.len());
    for id in order {
        path.push(Step::Item(id.to_string()));
        let merged = merge_optional(
            b.get(id).copied(),
            m.get(id).copied(),
            t.get(id).copied(),
            path,
            conflicts,
        );
        path.pop();
        out.extend(merged);
    }
    out
}

/// The order of the merged list's items: the server's, with the items only the client added
/// after the item that precedes them on the client's side. A reordering only the client made
/// is applied; a reordering both made differently keeps the server's and is a conflict.
fn merged_order<'a>(
    base: &'a [Value],
    mine: &'a [Value],
    theirs: &'a [Value],
    path: &Path,
    conflicts: &mut Vec<Conflict>,
) -> Vec<&'a str> {
    let base_ids = ids(base).unwrap_or_default();
    let mine_ids = ids(mine).unwrap_or_default();
    let theirs_ids = ids(theirs).unwrap_or_default();
    let everywhere =
        |id: &&str| base_ids.contains(id) && mine_ids.contains(id) && theirs_ids.contains(id);
    let common = |list: &[&'a str]| list.iter().copied().filter(everywhere).collect::<Vec<_>>();
    let (in_base, in_mine, in_theirs) = (common(&base_ids), common(&mine_ids), common(&theirs_ids));

    let mut order: Vec<&str> = if in_mine != in_base && in_theirs == in_base {
        // Only the client reordered: its order for the shared items, the server's additions
        // after the item that precedes them on the server.
        let mut order = in_mine.clone();
        insert_additions(
            &mut order,
            &theirs_ids,
            |id| !in_mine.contains(id),
            |_| false,
        );
        order
    } else {
        if in_mine != in_base && in_mine != in_theirs {
            let order_of = |list: &[&str]| {
                Value::Array(
                    list.iter()
                        .map(|id| Value::String(id.to_string()))
                        .collect(),
                )
            };
            conflicts.push(Conflict {
                path: path.clone(),
                base: Some(order_of(&in_base)),
                mine: Some(order_of(&in_mine)),
                theirs: Some(order_of(&in_theirs)),
            });
        }
        theirs_ids.clone()
    };
    // Items the client added (or kept while the server deleted them); where the server added
    // items at the same place, the client's go after them (its push came second).
    let added_by_server = |id: &str| theirs_ids.contains(&id) && !base_ids.contains(&id);
    insert_additions(
        &mut order,
        &mine_ids,
        |id| !theirs_ids.contains(id),
        added_by_server,
    );
    // Items the client deleted stay in `order`; merge_optional drops or keeps them.
    order.dedup();
    order
}

/// Puts each item of `source` that `is_new` into `order`, after the nearest item before it in
/// `source` that `order` holds (or first), and after any items there that `skip` names.
fn insert_additions<'a>(
    order: &mut Vec<&'a str>,
    source: &[&'a str],
    is_new: impl Fn(&&str) -> bool,
    skip: impl Fn(&str) -> bool,
) {
    for (i, id) in source.iter().enumerate() {
        if !is_new(id) || order.contains(id) {
            continue;
        }
        let after = source[..i]
            .iter()
            .rev()
            .find_map(|prev| order.iter().position(|o| o == prev));
        let mut at = after.map_or(0, |p| p + 1);
        while at < order.len() && skip(order[at]) {
            at += 1;
        }
        order.insert(at, id);
    }
}

/// The JSON pointer (RFC 6901) of `path` in `value`: list items by their index there, or
/// `None` when the path no longer leads anywhere.
pub fn pointer(value: &Value, path: &[Step]) -> Option<String> {
    let mut out = String::new();
    let mut at = value;
    for step in path {
        match step {
            Step::Key(k) => {
                out.push('/');
                out.push_str(&k.replace('~', "~0").replace('/', "~1"));
                at = at.get(k).unwrap_or(&Value::Null);
            }
            Step::Item(id) => {
                let items = at.as_array()?;
                let i = items
                    .iter()
                    .position(|item| item.get("id").and_then(Value::as_str) == Some(id))?;
                out.push_str(&format!("/{i}"));
                at = &items[i];
            }
        }
    }
    Some(out)
}

/// The value at `path`, when there is one.
pub fn get<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut at = value;
    for step in path {
        at = match step {
            Step::Key(k) => at.get(k)?,
            Step::Item(id) => at
                .as_array()?
                .iter()
                .find(|item| item.get("id").and_then(Value::as_str) == Some(id))?,
        };
    }
    Some(at)
}

/// Sets (or with `None` removes) the value at `path`. Setting an item that is missing appends
/// it to its list; a path whose parent is missing changes nothing and returns false.
pub fn set(value: &mut Value, path: &[Step], new: Option<Value>) -> bool {
    let Some((last, parents)) = path.split_last() else {
        if let Some(new) = new {
            *value = new;
        }
        return true;
    };
    let mut at = value;
    for step in parents {
        at = match step {
            Step::Key(k) => match at.get_mut(k) {
                Some(v) => v,
                None => return false,
            },
            Step::Item(id) => {
                let Some(items) = at.as_array_mut() else {
                    return false;
                };
                match items
                    .iter_mut()
                    .find(|item| item.get("id").and_then(Value::as_str) == Some(id))
                {
                    Some(v) => v,
                    None => return false,
                }
            }
        };
    }
    match last {
        Step::Key(k) => {
            let Some(object) = at.as_object_mut() else {
                return false;
            };
            match new {
                Some(v) => {
                    object.insert(k.clone(), v);
                }
                None => {
                    object.remove(k);
                }
            }
            true
        }
        Step::Item(id) => {
            let Some(items) = at.as_array_mut() else {
                return false;
            };
            let found = items
                .iter()
                .position(|item| item.get("id").and_then(Value::as_str) == Some(id));
            match (found, new) {
                (Some(i), Some(v)) => items[i] = v,
                (Some(i), None) => {
                    items.remove(i);
                }
                (None, Some(v)) => items.push(v),
                (None, None) => {}
            }
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn quiz(questions: Value) -> Value {
        json!({"schema_version": 2, "questions": questions})
    }

    #[test]
    fn a_change_on_one_side_is_taken() {
        let base = json!({"title": "A", "body": "x"});
        let mine = json!({"title": "B", "body": "x"});
        let theirs = json!({"title": "A", "body": "y"});
        let m = merge(&base, &mine, &theirs);
        assert_eq!(m.value, json!({"title": "B", "body": "y"}));
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn the_same_field_changed_twice_keeps_theirs_and_records_mine() {
        let base = json!({"title": "A"});
        let m = merge(
            &base,
            &json!({"title": "Mine"}),
            &json!({"title": "Theirs"}),
        );
        assert_eq!(m.value, json!({"title": "Theirs"}));
        assert_eq!(
            m.conflicts,
            vec![Conflict {
                path: vec![Step::Key("title".into())],
                base: Some(json!("A")),
                mine: Some(json!("Mine")),
                theirs: Some(json!("Theirs")),
            }]
        );
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = json!({"title": "A"});
        let m = merge(&base, &json!({"title": "B"}), &json!({"title": "B"}));
        assert_eq!(m.value, json!({"title": "B"}));
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn both_add_a_question_and_both_are_kept_in_order() {
        let q = |id: &str, p: &str| json!({"id": id, "prompt": p});
        let base = quiz(json!([q("q1", "one")]));
        let mine = quiz(json!([q("q1", "one"), q("q2", "mine")]));
        let theirs = quiz(json!([q("q0", "first"), q("q1", "one"), q("q3", "theirs")]));
        let m = merge(&base, &mine, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let ids: Vec<_> = m.value["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .map(|q| q["id"].as_str().expect("id").to_string())
            .collect();
        // Both added after q1: the server's q3 first (it was accepted first), then q2.
        assert_eq!(ids, ["q0", "q1", "q3", "q2"]);
    }

    #[test]
    fn a_conflict_inside_a_list_names_the_item_and_field() {
        let base =
            quiz(json!([{"id": "q1", "prompt": "p", "options": [{"id": "o1", "text": "a"}]}]));
        let mine =
            quiz(json!([{"id": "q1", "prompt": "p", "options": [{"id": "o1", "text": "mine"}]}]));
        let theirs = quiz(
            json!([{"id": "q1", "prompt": "new", "options": [{"id": "o1", "text": "theirs"}]}]),
        );
        let m = merge(&base, &mine, &theirs);
        assert_eq!(m.value["questions"][0]["prompt"], "new");
        assert_eq!(m.value["questions"][0]["options"][0]["text"], "theirs");
        assert_eq!(m.conflicts.len(), 1);
        let c = &m.conflicts[0];
        assert_eq!(
            c.path,
            vec![
                Step::Key("questions".into()),
                Step::Item("q1".into()),
                Step::Key("options".into()),
                Step::Item("o1".into()),
                Step::Key("text".into())
            ]
        );
        assert_eq!(
            pointer(&m.value, &c.path).expect("pointer"),
            "/questions/0/options/0/text"
        );
        assert_eq!(c.mine, Some(json!("mine")));
    }

    #[test]
    fn an_edit_against_a_delete_is_a_conflict_either_way() {
        let item = |t: &str| json!({"id": "c1", "front": t});
        let base = json!({"cards": [item("a")]});
        // Mine edited, theirs deleted: stays deleted, mine kept in the conflict.
        let m = merge(
            &base,
            &json!({"cards": [item("edited")]}),
            &json!({"cards": []}),
        );
        assert_eq!(m.value, json!({"cards": []}));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].mine, Some(item("edited")));
        assert_eq!(m.conflicts[0].theirs, None);
        // Mine deleted, theirs edited: the edit stays, the deletion is the conflict.
        let m = merge(
            &base,
            &json!({"cards": []}),
            &json!({"cards": [item("edited")]}),
        );
        assert_eq!(m.value, json!({"cards": [item("edited")]}));
        assert_eq!(m.conflicts[0].mine, None);
        // Deleted on one side, untouched on the other: deleted.
        let m = merge(&base, &json!({"cards": []}), &base);
        assert_eq!(m.value, json!({"cards": []}));
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn a_reorder_by_one_side_is_applied_with_the_others_additions() {
        let i = |id: &str| json!({"id": id});
        let base = json!([i("a"), i("b"), i("c")]);
        let mine = json!([i("c"), i("a"), i("b")]);
        let theirs = json!([i("a"), i("b"), i("x"), i("c")]);
        let m = merge(&base, &mine, &theirs);
        assert!(m.conflicts.is_empty());
        assert_eq!(m.value, json!([i("c"), i("a"), i("b"), i("x")]));
        // Both reordered differently: the server's order stays, mine is a conflict.
        let theirs = json!([i("b"), i("a"), i("c")]);
        let m = merge(&base, &mine, &theirs);
        assert_eq!(m.value, theirs);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].mine, Some(json!(["c", "a", "b"])));
    }

    #[test]
    fn lists_without_ids_are_one_value() {
        let base = json!({"tags": ["a"]});
        let m = merge(
            &base,
            &json!({"tags": ["a", "b"]}),
            &json!({"tags": ["a", "c"]}),
        );
        assert_eq!(m.value, json!({"tags": ["a", "c"]}));
        assert_eq!(m.conflicts.len(), 1);
        // Repeated ids are not ids.
        let dup = json!([{"id": "x", "v": 1}, {"id": "x", "v": 2}]);
        let m = merge(&json!([]), &dup, &json!([{"id": "y"}]));
        assert_eq!(m.conflicts.len(), 1);
    }

    #[test]
    fn set_and_get_follow_item_ids() {
        let mut v = quiz(json!([{"id": "q1", "prompt": "p"}, {"id": "q2", "prompt": "r"}]));
        let path = vec![
            Step::Key("questions".into()),
            Step::Item("q2".into()),
            Step::Key("prompt".into()),
        ];
        assert_eq!(get(&v, &path), Some(&json!("r")));
        assert!(set(&mut v, &path, Some(json!("changed"))));
        assert_eq!(v["questions"][1]["prompt"], "changed");
        let item = vec![Step::Key("questions".into()), Step::Item("q3".into())];
        assert!(set(&mut v, &item, Some(json!({"id": "q3"}))));
        assert_eq!(v["questions"].as_array().expect("questions").len(), 3);
        assert!(set(&mut v, &item, None));
        assert_eq!(v["questions"].as_array().expect("questions").len(), 2);
        let missing = vec![Step::Key("nothing".into()), Step::Key("x".into())];
        assert!(!set(&mut v, &missing, Some(json!(1))));
    }
}
