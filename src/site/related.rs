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

use std::collections::HashMap;

use rayon::prelude::*;

use super::Page;

/// How many related articles each article gets.
pub(crate) const COUNT: usize = 3;

/// Neighbours by date looked at on each side within a group.
const WINDOW: usize = 24;

/// What the score reads of an article, made once: tags and region as numbers (so comparing
/// two articles allocates nothing), authors, the date.
struct Features {
    /// Sorted, without repeats.
    tags: Vec<u32>,
    region: Option<u32>,
    authors: Vec<usize>,
    date: i64,
}

/// Per page (in `pages` order): its related articles, best first. `by_date`: the articles,
/// newest first (pages with a date, no editions).
pub(super) fn related(pages: &[Page], by_date: &[usize]) -> Vec<Vec<usize>> {
    let mut names: HashMap<String, u32> = HashMap::new();
    let mut id = |name: String| {
        let next = u32::try_from(names.len()).unwrap_or(u32::MAX);
        *names.entry(name).or_insert(next)
    };
    let mut features: Vec<Option<Features>> = (0..pages.len()).map(|_| None).collect();
    // Groups: 0 = a tag, 1 = a region, 2 = an author; members newest first.
    let mut groups: HashMap<(u8, u32), Vec<usize>> = HashMap::new();
    for &i in by_date {
        let p = &pages[i];
        let mut tags: Vec<u32> = p.front.tags.iter().map(|t| id(t.to_lowercase())).collect();
        tags.sort_unstable();
        tags.dedup();
        let region = p
            .front
            .region
            .as_ref()
            .map(|r| id(format!("\u{0}{}", r.to_lowercase())));
        for &t in &tags {
            groups.entry((0, t)).or_default().push(i);
        }
        if let Some(r) = region {
            groups.entry((1, r)).or_default().push(i);
        }
        for &a in &p.authors {
            groups
                .entry((2, u32::try_from(a).unwrap_or(u32::MAX)))
                .or_default()
                .push(i);
        }
        let date = p.date.as_ref().map_or(0, |d| d.timestamp().as_second());
        let authors = p.authors.clone();
        features[i] = Some(Features {
            tags,
            region,
            authors,
            date,
        });
    }
    let mut candidates: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for members in groups.values() {
        for (k, &i) in members.iter().enumerate() {
            let from = k.saturating_sub(WINDOW);
            let to = (k + WINDOW + 1).min(members.len());
            candidates[i].extend(members[from..to].iter().filter(|&&j| j != i));
        }
    }
    candidates
        .into_par_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c.sort_unstable();
            c.dedup();
            best(pages, &features, i, &c)
        })
        .collect()
}

fn best(
    pages: &[Page],
    features: &[Option<Features>],
    i: usize,
    candidates: &[usize],
) -> Vec<usize> {
    let Some(a) = &features[i] else {
        return Vec::new();
    };
    let mut scored: Vec<(u32, i64, &str, usize)> = candidates
        .iter()
        .filter_map(|&j| {
            let b = features[j].as_ref()?;
            Some((score(a, b)?, b.date, pages[j].path.as_str(), j))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    scored.into_iter().take(COUNT).map(|(.., j)| j).collect()
}

/// How many of two sorted lists' items they share.
fn shared<T: Ord>(a: &[T], b: &[T]) -> u32 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// What `a` and `b` share, or `None` when they share no tag, region or author.
fn score(a: &Features, b: &Features) -> Option<u32> {
    let tags = shared(&a.tags, &b.tags);
    let region = u32::from(a.region.is_some() && a.region == b.region);
    let authors = a.authors.iter().filter(|x| b.authors.contains(x)).count() as u32;
    let common = 3 * tags + 2 * region + 2 * authors;
    if common == 0 {
        return None;
    }
    let close = match (a.date - b.date).abs() / 86_400 {
        0..=31 => 3,
        32..=183 => 2,
        184..=366 => 1,
        _ => 0,
    };
    Some(common + close)
}
