//! The Tera context of one job: `site`, `current_path` and the few values its template is
//! for (`page`, `section`, `paginator`, …), all shared with every other context through the
//! reference counts inside the values. Contexts are built only for the outputs that are
//! rendered again.

use std::sync::Arc;

use tera::{Context, Value};

use super::feeds::feed_value;
use super::paging::{pager, paginator};
use super::plan::{Job, Plan};
use super::values::Values;
use crate::source::SourceFile;

/// The context of `job` at URL `path`, and the content file it shows (for diagnostics).
pub(super) fn context<'a>(
    plan: &Plan<'a>,
    v: &Values,
    job: &Job,
    path: &str,
) -> (Context, Option<&'a Arc<SourceFile>>) {
    let site = plan.site;
    let config = &site.config;
    let mut ctx = Context::new();
    ctx.insert_value("site", v.site.clone());
    ctx.insert("current_path", path);
    let source = match *job {
        Job::Section(i, p) => {
            section(plan, v, &mut ctx, i, p);
            site.sections[i].source.as_ref()
        }
        Job::Page(i) => {
            ctx.insert_value("page", v.pages[i].clone());
            Some(&site.pages[i].source)
        }
        Job::Author(i, p) => {
            author(plan, v, &mut ctx, i, p);
            Some(&site.authors[i].source)
        }
        Job::TaxonomyList(t) => {
            taxonomy_list(plan, v, &mut ctx, t);
            None
        }
        Job::Term(t, k, p) => {
            term(plan, v, &mut ctx, (t, k), p);
            None
        }
        Job::SiteFeed(_) => {
            let (url, home) = (config.permalink(path), config.permalink("/"));
            let feed = feed_value(site, v, config.title.clone(), url, &home, &plan.latest);
            ctx.insert_value("feed", feed);
            None
        }
        Job::TermFeed(t, k) => {
            let tax = &site.taxonomies[t];
            let term = &tax.terms[k];
            let title = format!("{} – {}: {}", config.title, tax.config.title(), term.name);
            let url = config.permalink(path);
            let feed = feed_value(site, v, title, url, &term.permalink, &term.pages);
            ctx.insert_value("feed", feed);
            None
        }
        Job::Search => {
            let all = (0..site.taxonomies.len())
                .map(|t| {
                    let mut c = Context::new();
                    taxonomy_list(plan, v, &mut c, t);
                    let taxonomy = c.get("taxonomy").cloned().unwrap_or_else(Value::none);
                    let terms = c.get("terms").cloned().unwrap_or_else(Value::none);
                    super::values::map([("taxonomy", taxonomy), ("terms", terms)])
                })
                .collect::<Vec<_>>();
            ctx.insert_value("search_taxonomies", Value::from(all));
            None
        }
        Job::NotFound | Job::Legal(_) => None,
    };
    (ctx, source)
}

/// Page `p` of section `i`: the section, its paginator, and on the home page the newest
/// articles, on the authors' section every author.
fn section(plan: &Plan, v: &Values, ctx: &mut Context, i: usize, p: usize) {
    let s = &plan.site.sections[i];
    let pager = &pager(s.pages.len(), s.front.paginate_by, &s.path, p);
    ctx.insert_value("section", v.sections[i].clone());
    let pg = if s.front.paginate_by.is_some() {
        let config = &plan.site.config;
        paginator(
            config,
            &s.pages,
            s.front.paginate_by,
            pager,
            &s.path,
            &v.pages,
        )
    } else {
        Value::none()
    };
    ctx.insert_value("paginator", pg);
    if i == 0 {
        let latest: Vec<Value> = plan
            .home_latest
            .iter()
            .map(|&l| v.pages[l].clone())
            .collect();
        ctx.insert_value("latest", Value::from(latest));
        let current = plan.current_edition.map(|e| v.pages[e].clone());
        ctx.insert_value("current_edition", current.unwrap_or_else(Value::none));
    }
    if Some(i) == plan.authors_section {
        ctx.insert_value("authors", Value::from(v.authors.clone()));
    }
}

/// The list of a taxonomy's terms, by name.
fn taxonomy_list(plan: &Plan, v: &Values, ctx: &mut Context, t: usize) {
    ctx.insert_value("taxonomy", v.taxonomies[t].clone());
    let mut terms: Vec<(String, Value)> = plan.site.taxonomies[t]
        .terms
        .iter()
        .zip(&v.terms[t])
        .map(|(term, value)| (term.name.to_lowercase(), value.clone()))
        .collect();
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    ctx.insert_value(
        "terms",
        Value::from(terms.into_iter().map(|(_, v)| v).collect::<Vec<_>>()),
    );
}

/// Page `p` of author `i`'s article list.
fn author(plan: &Plan, v: &Values, ctx: &mut Context, i: usize, p: usize) {
    let config = &plan.site.config;
    let a = &plan.site.authors[i];
    let per = Some(config.author_paginate_by);
    let pager = &pager(a.pages.len(), per, &a.path, p);
    let pg = paginator(config, &a.pages, per, pager, &a.path, &v.pages);
    ctx.insert_value("author", v.authors[i].clone());
    ctx.insert_value(
        "pages",
        pg.get_from_path("items")
            .cloned()
            .unwrap_or_else(Value::none),
    );
    ctx.insert_value("paginator", pg);
}

/// Page `p` of term `k` of taxonomy `t`.
fn term(plan: &Plan, v: &Values, ctx: &mut Context, (t, k): (usize, usize), p: usize) {
    let config = &plan.site.config;
    let tax = &plan.site.taxonomies[t];
    let term = &tax.terms[k];
    let per = tax.config.paginate_by;
    let pager = &pager(term.pages.len(), per, &term.path, p);
    ctx.insert_value("taxonomy", v.taxonomies[t].clone());
    ctx.insert_value("term", v.terms[t][k].clone());
    let pg = paginator(config, &term.pages, per, pager, &term.path, &v.pages);
    ctx.insert_value("paginator", pg);
}
