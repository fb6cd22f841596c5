//! Dynamic time warping: the cheapest monotone alignment of two sequences of frames.

/// An alignment: pairs of frame indices (reference, attempt), in order from the start, and
/// its cost per step.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    pub path: Vec<(usize, usize)>,
    /// Total distance over the path's length (the sum of both sequences' lengths).
    pub cost: f32,
}

/// Aligns `a` with `b` by `distance`, with the symmetric steps (diagonal, either side). Both
/// must be non-empty.
pub fn align<T>(a: &[T], b: &[T], distance: impl Fn(&T, &T) -> f32) -> Alignment {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Alignment {
            path: Vec::new(),
            cost: f32::INFINITY,
        };
    }
    // The accumulated cost, one row at a time, and the step taken into each cell.
    let mut step = vec![0u8; n * m];
    let mut previous = vec![f32::INFINITY; m];
    let mut current = vec![f32::INFINITY; m];
    for i in 0..n {
        for j in 0..m {
            let d = distance(&a[i], &b[j]);
            let (best, from) = if i == 0 && j == 0 {
                (0.0, 0u8)
            } else {
                let diagonal = if i > 0 && j > 0 {
                    previous[j - 1]
                } else {
                    f32::INFINITY
                };
                let up = if i > 0 { previous[j] } else { f32::INFINITY };
                let left = if j > 0 { current[j - 1] } else { f32::INFINITY };
                // A diagonal step counts its distance twice (symmetric weights), so paths of
                // every shape are compared fairly.
                let options = [(diagonal + d, 1u8), (up, 2u8), (left, 3u8)];
                options
                    .into_iter()
                    .min_by(|x, y| x.0.total_cmp(&y.0))
                    .unwrap_or((f32::INFINITY, 1))
            };
            current[j] = best + d;
            step[i * m + j] = from;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let total = previous[m - 1];
    let mut path = Vec::with_capacity(n + m);
    let (mut i, mut j) = (n - 1, m - 1);
    loop {
        path.push((i, j));
        match step[i * m + j] {
            1 => {
                i -= 1;
                j -= 1;
            }
            2 => i -= 1,
            3 => j -= 1,
            _ => break,
        }
    }
    path.reverse();
    Alignment {
        path,
        cost: total / (n + m) as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slower_copy_aligns_onto_the_original() {
        let a = [0.0f32, 1.0, 2.0, 3.0];
        let b = [0.0f32, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0];
        let r = align(&a, &b, |x, y| (x - y).abs());
        assert_eq!(r.cost, 0.0);
        assert_eq!(r.path.first(), Some(&(0, 0)));
        assert_eq!(r.path.last(), Some(&(3, 7)));
        assert!(r.path.iter().all(|(i, j)| a[*i] == b[*j]));
        let c = [3.0f32, 2.0, 1.0, 0.0];
        assert!(align(&a, &c, |x, y| (x - y).abs()).cost > 0.5);
        assert!(
            align::<f32>(&[], &c, |x, y| (x - y).abs())
                .cost
                .is_infinite()
        );
    }
}
