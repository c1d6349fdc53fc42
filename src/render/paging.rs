//! Paged lists (sections with `paginate_by`, author pages, term pages): how many pages a
//! list has, the URL of each, and the `paginator` object its templates see.

use tera::Value;

use super::values::map;
use crate::config::Config;

/// One page of a paginated list.
pub(crate) struct Pager {
    /// 1-based.
    pub(crate) number: usize,
    /// Total pages.
    pub(crate) total: usize,
    /// URL path of this page: `base` for the first, `base` + `page/n/` after.
    pub(crate) path: String,
}

/// How many pages a list of `n` items has.
pub(crate) fn pager_count(n: usize, per_page: Option<usize>) -> usize {
    match per_page {
        Some(per) if per > 0 => n.div_ceil(per).max(1),
        _ => 1,
    }
}

/// Page `index` (0-based) of a list of `n` items under `base` (a folder path ending in `/`).
pub(crate) fn pager(n: usize, per_page: Option<usize>, base: &str, index: usize) -> Pager {
    Pager {
        number: index + 1,
        total: pager_count(n, per_page),
        path: pager_path(base, index + 1),
    }
}

/// All pages of a list of `n` items under `base`.
pub(crate) fn pagers(n: usize, per_page: Option<usize>, base: &str) -> Vec<Pager> {
    (0..pager_count(n, per_page))
        .map(|i| pager(n, per_page, base, i))
        .collect()
}

pub(crate) fn pager_path(base: &str, number: usize) -> String {
    if number == 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The `paginator` object of one page of a list.
pub(crate) fn paginator(
    config: &Config,
    items: &[usize],
    per_page: Option<usize>,
    pager: &Pager,
    base: &str,
    page_values: &[Value],
) -> Value {
    let per = per_page.unwrap_or(items.len().max(1));
    let from = (pager.number - 1) * per;
    let slice = items
        .get(from..(from + per).min(items.len()))
        .unwrap_or(&[]);
    let url = |n: usize| config.permalink(&pager_path(base, n));
    let links = links(pager, &url);
    map([
        ("current", Value::from(pager.number)),
        ("total_pages", Value::from(pager.total)),
        ("per_page", Value::from(per)),
        ("total_items", Value::from(items.len())),
        (
            "items",
            Value::from(
                slice
                    .iter()
                    .map(|&i| page_values[i].clone())
                    .collect::<Vec<_>>(),
            ),
        ),
        ("first", Value::from(url(1))),
        ("last", Value::from(url(pager.total))),
        (
            "previous",
            if pager.number > 1 {
                Value::from(url(pager.number - 1))
            } else {
                Value::none()
            },
        ),
        (
            "next",
            if pager.number < pager.total {
                Value::from(url(pager.number + 1))
            } else {
                Value::none()
            },
        ),
        ("links", Value::from(links)),
    ])
}

/// Links to the pages near this one, not to all of them: a list of 5,000 pages would
/// otherwise give each of its pages 5,000 links, and the whole list 25 million.
fn links(pager: &Pager, url: &dyn Fn(usize) -> String) -> Vec<Value> {
    let total = pager.total;
    let mut numbers: Vec<usize> = [1, 2, total.saturating_sub(1), total]
        .into_iter()
        .chain(pager.number.saturating_sub(2)..=pager.number + 2)
        .filter(|n| (1..=total).contains(n))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .into_iter()
        .map(|n| {
            map([
                ("number", Value::from(n)),
                ("url", Value::from(url(n))),
                ("current", Value::from(n == pager.number)),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paginator_links_are_a_window() {
        let config_text = "title = \"T\"\nbase_url = \"https://x.org\"\n";
        let src = std::sync::Arc::new(crate::source::SourceFile::new(
            std::path::Path::new("/r"),
            std::path::Path::new("/r/site.toml"),
            config_text.into(),
        ));
        let config = Config::parse(std::path::Path::new("/r"), src, &Default::default()).unwrap();
        let items: Vec<usize> = (0..1000).collect();
        let values: Vec<Value> = (0..1000).map(Value::from).collect();
        let p = pager(1000, Some(10), "/a/", 49);
        let v = paginator(&config, &items, Some(10), &p, "/a/", &values);
        let numbers: Vec<u64> = v
            .get_from_path("links")
            .and_then(|l| l.as_array())
            .unwrap()
            .iter()
            .map(|l| l.get_from_path("number").and_then(|n| n.as_u64()).unwrap())
            .collect();
        assert_eq!(numbers, [1, 2, 48, 49, 50, 51, 52, 99, 100]);
    }

    #[test]
    fn pager_paths() {
        let p = pagers(25, Some(10), "/tags/x/");
        assert_eq!(
            p.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["/tags/x/", "/tags/x/page/2/", "/tags/x/page/3/"]
        );
        assert_eq!(pagers(0, Some(10), "/a/").len(), 1);
        assert_eq!(pagers(25, None, "/a/").len(), 1);
    }
}
