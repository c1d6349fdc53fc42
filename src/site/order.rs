//! The orders of pages. Pages are sorted newest first once; every list in date order (a
//! section's, an author's, a term's, the latest articles) is that order filtered, which keeps
//! sorting out of the per-section, per-author and per-term work.

use std::cmp::Ordering;

use super::{Author, Page, Section};

/// Fills the page lists of sections and authors, in date order (a section with its own
/// `sort_by` is sorted again its way). Returns every page index, newest first.
pub(super) fn fill_lists(
    pages: &[Page],
    sections: &mut [Section],
    authors: &mut [Author],
) -> Vec<usize> {
    let mut by_date: Vec<usize> = (0..pages.len()).collect();
    sort_pages(pages, &mut by_date, "date");
    for &i in &by_date {
        let page = &pages[i];
        sections[page.section].pages.push(i);
        for &a in &page.authors {
            authors[a].pages.push(i);
        }
    }
    for s in sections.iter_mut() {
        if let Some(order) = s.front.sort_by.as_ref().map(|o| o.value.as_str())
            && order != "date"
        {
            let order = order.to_string();
            sort_pages(pages, &mut s.pages, &order);
        }
    }
    by_date
}

/// The articles, newest first: pages with a date, from `by_date`. Editions are not
/// articles: they stay out of the home page, the feeds and the JSON.
pub(super) fn latest(pages: &[Page], by_date: &[usize]) -> Vec<usize> {
    by_date
        .iter()
        .copied()
        .filter(|&i| pages[i].date.is_some() && !pages[i].is_edition())
        .collect()
}

/// Sorts page indexes: by date (newest first, undated last), title or weight; ties by title
/// and path so the order never depends on the walk.
pub(crate) fn sort_pages(pages: &[Page], idx: &mut [usize], order: &str) {
    idx.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let primary = match order {
            "title" => a.front.title.cmp(&b.front.title),
            "weight" => a
                .front
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&b.front.weight.unwrap_or(i64::MAX)),
            _ => match (&a.date, &b.date) {
                (Some(x), Some(y)) => y.cmp(x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        primary
            .then_with(|| a.front.title.cmp(&b.front.title))
            .then_with(|| a.path.cmp(&b.path))
    });
}
