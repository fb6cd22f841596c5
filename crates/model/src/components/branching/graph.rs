//! The scenario as a graph: which nodes the learner can reach, where they can get stuck,
//! loops that earn points, and the best score still reachable from each node.

use super::BranchingPayload;
use std::collections::{HashMap, VecDeque};

/// A choice that leads to an existing node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Edge {
    pub from: usize,
    /// Index of the choice within its node.
    pub choice: usize,
    pub to: usize,
    pub points: i64,
}

/// Nodes by index; choices whose target does not exist are left out.
pub(super) struct Graph {
    pub ends: Vec<bool>,
    pub edges: Vec<Edge>,
}

impl Graph {
    pub fn new(payload: &BranchingPayload) -> Self {
        let index = index_of(payload);
        let mut edges = Vec::new();
        for (from, node) in payload.nodes.iter().enumerate() {
            for (choice, c) in node.choices.iter().enumerate() {
                if let Some(&to) = index.get(c.target.as_str()) {
                    let points = i64::from(c.points);
                    edges.push(Edge {
                        from,
                        choice,
                        to,
                        points,
                    });
                }
            }
        }
        Self {
            ends: payload.nodes.iter().map(|n| n.end).collect(),
            edges,
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    /// The nodes a learner can reach from `start` (end nodes are not left).
    pub fn reachable_from(&self, start: usize) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut queue = VecDeque::from([start]);
        seen[start] = true;
        while let Some(node) = queue.pop_front() {
            if self.ends[node] {
                continue;
            }
            for edge in self.edges.iter().filter(|e| e.from == node) {
                if !seen[edge.to] {
                    seen[edge.to] = true;
                    queue.push_back(edge.to);
                }
            }
        }
        seen
    }

    /// The nodes from which some path leads to an end node.
    pub fn can_finish(&self) -> Vec<bool> {
        let mut done = self.ends.clone();
        let mut queue: VecDeque<usize> = (0..self.len()).filter(|&n| done[n]).collect();
        while let Some(node) = queue.pop_front() {
            for edge in self
                .edges
                .iter()
                .filter(|e| e.to == node && !self.ends[e.from])
            {
                if !done[edge.from] {
                    done[edge.from] = true;
                    queue.push_back(edge.from);
                }
            }
        }
        done
    }

    /// Loops among `nodes` whose points add up to more than zero, each as its edges in the
    /// order a learner goes round, starting at the loop's earliest node. Finds one loop at a
    /// time by Bellman–Ford, then ignores that loop's first choice to look for the next.
    pub fn scoring_loops(&self, nodes: &[bool]) -> Vec<(Vec<Edge>, i64)> {
        let mut edges: Vec<Edge> = self
            .edges
            .iter()
            .copied()
            .filter(|e| nodes[e.from] && nodes[e.to] && !self.ends[e.from])
            .collect();
        let mut loops = Vec::new();
        while let Some(cycle) = find_positive_cycle(self.len(), &edges) {
            let total = cycle.iter().map(|e| e.points).sum();
            let first = cycle[0];
            edges.retain(|e| *e != first);
            loops.push((cycle, total));
        }
        loops
    }

    /// The best score a learner can still add from each node on the way to an end; `None`
    /// where no end can be reached.
    ///
    /// Repeats, for at most as many rounds as there are nodes or until nothing changes:
    /// for each node in order that is not an end, for each of its choices in order,
    /// `best[node] = max(best[node], choice.points + best[target])` when `best[target]` is
    /// known. End nodes start at 0 and every other node unknown. Without loops that earn
    /// points (validation rejects them) this is the longest path to an end.
    pub fn best_scores(&self) -> Vec<Option<i64>> {
        let mut best: Vec<Option<i64>> = self.ends.iter().map(|&end| end.then_some(0)).collect();
        for _ in 0..self.len() {
            let mut changed = false;
            for edge in &self.edges {
                if self.ends[edge.from] {
                    continue;
                }
                let Some(after) = best[edge.to] else { continue };
                let candidate = edge.points.saturating_add(after);
                if best[edge.from].is_none_or(|b| candidate > b) {
                    best[edge.from] = Some(candidate);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        best
    }
}

/// A cycle whose points add up to more than zero, if the edges contain one.
fn find_positive_cycle(nodes: usize, edges: &[Edge]) -> Option<Vec<Edge>> {
    // Longest paths from a virtual source joined to every node: still improving after
    // `nodes` rounds means a positive cycle.
    let mut gain = vec![0i64; nodes];
    let mut via: Vec<Option<Edge>> = vec![None; nodes];
    let mut improved = None;
    for _ in 0..=nodes {
        improved = None;
        for edge in edges {
            let candidate = gain[edge.from].saturating_add(edge.points);
            if candidate > gain[edge.to] {
                gain[edge.to] = candidate;
                via[edge.to] = Some(*edge);
                improved = Some(edge.to);
            }
        }
        improved?;
    }
    // Walking back `nodes` steps from a node improved in the last round lands on the cycle.
    let mut node = improved?;
    for _ in 0..nodes {
        node = via[node]?.from;
    }
    let mut cycle = Vec::new();
    let mut at = node;
    loop {
        let edge = via[at]?;
        cycle.push(edge);
        at = edge.from;
        if at == node {
            break;
        }
        if cycle.len() > nodes {
            return None;
        }
    }
    cycle.reverse();
    let earliest = cycle
        .iter()
        .enumerate()
        .min_by_key(|(_, e)| e.from)
        .map_or(0, |(i, _)| i);
    cycle.rotate_left(earliest);
    Some(cycle)
}

/// Index of the first node with each non-empty id.
pub(super) fn index_of(payload: &BranchingPayload) -> HashMap<&str, usize> {
    let mut index = HashMap::new();
    for (i, node) in payload.nodes.iter().enumerate() {
        if !node.id.trim().is_empty() {
            index.entry(node.id.as_str()).or_insert(i);
        }
    }
    index
}
