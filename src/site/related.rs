//! Related articles ("Weitere Artikel"): for each article, the others that share most with
//! it. The score counts shared tags (3 each), the same region (2), a shared author (2), and
//! closeness in date (up to 3: within a month, half a year, a year); it needs at least one
//! shared tag, region or author. Ties go to the newer article, then the path: the same site
//! gives the same lists on every build.
//!
//! Only articles close by date in one of the article's groups (a tag, its region, an
//! author) are scored: a tag on every one of 10,000 articles would otherwise make it
//! quadratic. Within a group, the [`WINDOW`] nearest articles before and after are looked
//! at, so the work grows linearly with the site.

use std::collections::{BTreeSet, HashMap};

use super::Page;

/// How many related articles each article gets.
pub(crate) const COUNT: usize = 3;

/// Neighbours by date looked at on each side within a group.
const WINDOW: usize = 24;

/// Per page (in `pages` order): its related articles, best first. `by_date`: the articles,
/// newest first (pages with a date, no editions).
pub(super) fn related(pages: &[Page], by_date: &[usize]) -> Vec<Vec<usize>> {
    let mut groups: HashMap<(u8, String), Vec<usize>> = HashMap::new();
    for &i in by_date {
        for key in keys(&pages[i]) {
            groups.entry(key).or_default().push(i);
        }
    }
    let mut candidates: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); pages.len()];
    for members in groups.values() {
        for (k, &i) in members.iter().enumerate() {
            let from = k.saturating_sub(WINDOW);
            let to = (k + WINDOW + 1).min(members.len());
            candidates[i].extend(members[from..to].iter().filter(|&&j| j != i));
        }
    }
    candidates
        .iter()
        .enumerate()
        .map(|(i, c)| best(pages, i, c))
        .collect()
}

/// The groups an article is in: each tag (lowercased), its region, each profile author.
fn keys(p: &Page) -> Vec<(u8, String)> {
    let mut keys: Vec<(u8, String)> = p.front.tags.iter().map(|t| (0, t.to_lowercase())).collect();
    if let Some(r) = &p.front.region {
        keys.push((1, r.to_lowercase()));
    }
    keys.extend(p.authors.iter().map(|a| (2, a.to_string())));
    keys.sort();
    keys.dedup();
    keys
}

fn best(pages: &[Page], i: usize, candidates: &BTreeSet<usize>) -> Vec<usize> {
    let mut scored: Vec<(u32, i64, &str, usize)> = candidates
        .iter()
        .filter_map(|&j| {
            let s = score(&pages[i], &pages[j])?;
            let date = pages[j]
                .date
                .as_ref()
                .map_or(0, |d| d.timestamp().as_second());
            Some((s, date, pages[j].path.as_str(), j))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    scored.into_iter().take(COUNT).map(|(.., j)| j).collect()
}

/// What `a` and `b` share, or `None` when they share no tag, region or author.
fn score(a: &Page, b: &Page) -> Option<u32> {
    let tags_b: BTreeSet<String> = b.front.tags.iter().map(|t| t.to_lowercase()).collect();
    let tags = a
        .front
        .tags
        .iter()
        .map(|t| t.to_lowercase())
        .collect::<BTreeSet<_>>()
        .intersection(&tags_b)
        .count() as u32;
    let region = match (&a.front.region, &b.front.region) {
        (Some(x), Some(y)) if x.to_lowercase() == y.to_lowercase() => 1,
        _ => 0,
    };
    let authors = a.authors.iter().filter(|x| b.authors.contains(x)).count() as u32;
    let shared = 3 * tags + 2 * region + 2 * authors;
    if shared == 0 {
        return None;
    }
    let days = match (&a.date, &b.date) {
        (Some(x), Some(y)) => {
            (x.timestamp().as_second() - y.timestamp().as_second()).abs() / 86_400
        }
        _ => i64::MAX,
    };
    let close = match days {
        0..=31 => 3,
        32..=183 => 2,
        184..=366 => 1,
        _ => 0,
    };
    Some(shared + close)
}
