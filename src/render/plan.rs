//! The render plan: every output made with a template (a [`Job`]), where it goes, with
//! which template, and the fingerprint of what it shows. The plan is made from the
//! resolved site before anything renders; a job whose fingerprint is unchanged reuses its
//! previous bytes and never builds a context.

use super::Theme;
use super::feeds::feed_items;
use super::fingerprints::Fingerprints;
use super::paging::{pager, pager_count};
use crate::fingerprint::Fingerprint;
use crate::site::Site;

/// Which feed.
#[derive(Clone, Copy)]
pub(super) enum FeedKind {
    Atom,
    Rss,
}

/// One file to render with a template.
pub(super) enum Job {
    /// Page `pager` (0-based) of section `i`.
    Section(usize, usize),
    Page(usize),
    /// Page `pager` of author `i`'s article list.
    Author(usize, usize),
    TaxonomyList(usize),
    /// Page `pager` of term `term` of taxonomy `t`.
    Term(usize, usize, usize),
    /// The site's feed.
    SiteFeed(FeedKind),
    /// A term's Atom feed.
    TermFeed(usize, usize),
    NotFound,
    /// The search page (`[search]`), which links every term for readers without JavaScript.
    Search,
    /// Legal page `i` of [`super::publishing::legal_pages`] (Impressum, Datenschutz).
    Legal(usize),
}

/// Where a job goes: its template, its URL path and the fingerprint of what it shows.
pub(super) struct Target<'a> {
    pub(super) template: &'a str,
    pub(super) path: String,
    pub(super) fingerprint: u64,
}

/// The jobs of one build, and what planning and contexts share.
pub(super) struct Plan<'a> {
    pub(super) site: &'a Site,
    theme: &'a Theme,
    fps: &'a Fingerprints,
    /// Every article, newest first.
    pub(super) latest: Vec<usize>,
    /// The newest articles the home page shows.
    pub(super) home_latest: Vec<usize>,
    /// The section of the author profiles, whose page lists every author.
    pub(super) authors_section: Option<usize>,
    /// Every page's navigation links the editions archive once there is one.
    has_editions: bool,
    /// The newest edition, which the home page leads to.
    pub(super) current_edition: Option<usize>,
    pub(super) jobs: Vec<Job>,
}

impl<'a> Plan<'a> {
    pub(super) fn new(site: &'a Site, theme: &'a Theme, fps: &'a Fingerprints) -> Plan<'a> {
        let latest = site.latest();
        let home_latest = latest
            .iter()
            .copied()
            .take(site.config.home_latest)
            .collect();
        Plan {
            site,
            theme,
            fps,
            latest,
            home_latest,
            authors_section: site.authors_section(),
            has_editions: site.pages.iter().any(crate::site::Page::is_edition),
            current_edition: current_edition(site),
            jobs: jobs(site, theme),
        }
    }

    /// Where `job` goes, and the fingerprint of everything its output shows.
    pub(super) fn target(&self, job: &Job) -> Target<'a> {
        let (template, path, mut fp) = match *job {
            Job::Section(i, p) => self.section(i, p),
            Job::Page(i) => {
                let p = &self.site.pages[i];
                let mut fp = Fingerprint::new("job-page");
                fp.add(&self.fps.pages[i]);
                (p.template.as_str(), p.path.clone(), fp)
            }
            Job::Author(i, p) => self.author(i, p),
            Job::TaxonomyList(t) => {
                let mut fp = Fingerprint::new("job-taxonomy");
                fp.add(&self.fps.terms[t]);
                let path = self.site.taxonomies[t].path.clone();
                ("taxonomy_list.html", path, fp)
            }
            Job::Term(t, k, p) => self.term(t, k, p),
            Job::SiteFeed(kind) => self.site_feed(kind),
            Job::TermFeed(t, k) => {
                let term = &self.site.taxonomies[t].terms[k];
                let mut fp = Fingerprint::new("job-term-feed");
                fp.add(&self.fps.terms[t][k]);
                for i in feed_items(self.site, &term.pages) {
                    fp.add(&self.fps.pages[i]);
                }
                ("atom.xml", format!("{}atom.xml", term.path), fp)
            }
            Job::NotFound => (
                "404.html",
                "/404.html".to_string(),
                Fingerprint::new("job-404"),
            ),
            Job::Search => {
                let mut fp = Fingerprint::new("job-search");
                fp.add(&self.fps.terms);
                let path = self.site.config.search.as_ref().map(|s| s.page_path());
                ("search.html", path.unwrap_or_default(), fp)
            }
            Job::Legal(i) => {
                let (template, path) =
                    super::publishing::legal_pages(&self.site.config.language)[i];
                (template, path.to_string(), Fingerprint::new("job-legal"))
            }
        };
        // Every page shows the menus, whose `@/` links follow their targets.
        fp.add(&self.site.menus);
        fp.add(&self.theme.template_fps.get(template));
        fp.add(&self.has_editions);
        if self.theme.site_wide.contains(template) {
            fp.add(&self.fps.site);
        }
        Target {
            template,
            path,
            fingerprint: fp.finish(),
        }
    }

    fn section(&self, i: usize, p: usize) -> (&'a str, String, Fingerprint) {
        let s = &self.site.sections[i];
        let pager = &pager(s.pages.len(), s.front.paginate_by, &s.path, p);
        let mut fp = Fingerprint::new("job-section");
        fp.add(&self.fps.sections[i]);
        if s.front.paginate_by.is_some() {
            self.fps
                .pager(&mut fp, &s.pages, s.front.paginate_by, pager);
        }
        if i == 0 {
            for &l in &self.home_latest {
                fp.add(&self.fps.pages[l]);
            }
            fp.add(&self.current_edition.map(|e| self.fps.pages[e]));
        }
        if Some(i) == self.authors_section {
            fp.add(&self.fps.authors);
        }
        (s.template.as_str(), pager.path.clone(), fp)
    }

    fn author(&self, i: usize, p: usize) -> (&'a str, String, Fingerprint) {
        let a = &self.site.authors[i];
        let per = Some(self.site.config.author_paginate_by);
        let pager = &pager(a.pages.len(), per, &a.path, p);
        let mut fp = Fingerprint::new("job-author");
        fp.add(&self.fps.authors[i]);
        self.fps.pager(&mut fp, &a.pages, per, pager);
        (a.template.as_str(), pager.path.clone(), fp)
    }

    fn term(&self, t: usize, k: usize, p: usize) -> (&'a str, String, Fingerprint) {
        let tax = &self.site.taxonomies[t];
        let term = &tax.terms[k];
        let pager = &pager(term.pages.len(), tax.config.paginate_by, &term.path, p);
        let mut fp = Fingerprint::new("job-term");
        fp.add(&self.fps.terms[t][k]);
        self.fps
            .pager(&mut fp, &term.pages, tax.config.paginate_by, pager);
        ("taxonomy_term.html", pager.path.clone(), fp)
    }

    fn site_feed(&self, kind: FeedKind) -> (&'a str, String, Fingerprint) {
        let mut fp = Fingerprint::new("job-feed");
        for i in feed_items(self.site, &self.latest) {
            fp.add(&self.fps.pages[i]);
        }
        match kind {
            FeedKind::Atom => ("atom.xml", "/atom.xml".to_string(), fp),
            FeedKind::Rss => ("rss.xml", "/rss.xml".to_string(), fp),
        }
    }
}

/// The edition with the newest date (of two on one day, the one with the higher number).
fn current_edition(site: &Site) -> Option<usize> {
    site.pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let number = p.edition.as_ref()?.number;
            let date = p.date.as_ref()?.timestamp();
            Some((date, number, i))
        })
        .max()
        .map(|(.., i)| i)
}

/// Every output made with a template, in a fixed order.
fn jobs(site: &Site, theme: &Theme) -> Vec<Job> {
    let config = &site.config;
    let mut jobs: Vec<Job> = Vec::new();
    for (i, s) in site.sections.iter().enumerate() {
        let n = pager_count(s.pages.len(), s.front.paginate_by);
        jobs.extend((0..n).map(|p| Job::Section(i, p)));
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (i, a) in site.authors.iter().enumerate() {
        let n = pager_count(a.pages.len(), Some(config.author_paginate_by));
        jobs.extend((0..n).map(|p| Job::Author(i, p)));
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyList(t));
        for (k, term) in tax.terms.iter().enumerate() {
            let n = pager_count(term.pages.len(), tax.config.paginate_by);
            jobs.extend((0..n).map(|p| Job::Term(t, k, p)));
            if tax.config.feed {
                jobs.push(Job::TermFeed(t, k));
            }
        }
    }
    if config.feeds.atom {
        jobs.push(Job::SiteFeed(FeedKind::Atom));
    }
    if config.feeds.rss {
        jobs.push(Job::SiteFeed(FeedKind::Rss));
    }
    if theme.has_template("404.html") {
        jobs.push(Job::NotFound);
    }
    if config.search.is_some() && theme.has_template("search.html") {
        jobs.push(Job::Search);
    }
    if config.publisher.is_some() {
        for (i, (template, _)) in super::publishing::legal_pages(&config.language)
            .iter()
            .enumerate()
        {
            if theme.has_template(template) {
                jobs.push(Job::Legal(i));
            }
        }
    }
    jobs
}
