//! What each foreign call becomes. Hugo's built-ins that presswerk can express are
//! translated into presswerk's Markdown; everything else is removed with a warning that
//! names it and says what to do, so nothing of it is left as literal text.
//!
//! | Hugo / Jekyll | presswerk |
//! |---|---|
//! | `figure` | the `bild` shortcode (`attr` → `credit`) |
//! | `ref`, `relref`, `{% link %}` | an `@/` link, which `build` and `check` resolve |
//! | `youtube`, `vimeo` | the `video` shortcode: a link that loads nothing until clicked |
//! | `gist`, `x`, `tweet` | a plain link, no third-party script |
//! | `highlight`, `{% highlight %}` | a fenced code block with the language |
//! | `details` | `<details><summary>` |
//! | `param` | the value from the page's front matter, else the site's `[extra]` |
//! | `qr` | a link to its text when that is a URL |
//! | `comment`, `{% comment %}` | removed with its inside, silently |
//! | `{% raw %}` | its inside, kept as written |

use std::ops::Range;

use super::super::Problem;
use super::tag::Call;
use super::{Params, code_ranges};

const CODE: &str = "foreign-shortcode";

/// What a call's inside (between its opening and closing tag) becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Inner {
    /// Markdown: translated like the rest.
    Translate,
    /// Code: copied as it is.
    Verbatim,
    /// Removed, with the tags.
    Drop,
}

/// A call's replacement.
#[derive(Debug, Clone)]
pub(super) struct Output {
    /// Replaces the opening tag (or the whole call, for Liquid and for [`Inner::Drop`]).
    pub open: String,
    /// Replaces the closing tag.
    pub close: String,
    pub inner: Inner,
    pub warning: Option<Problem>,
}

impl Output {
    fn text(open: impl Into<String>) -> Output {
        Output {
            open: open.into(),
            close: String::new(),
            inner: Inner::Translate,
            warning: None,
        }
    }

    fn removed(warning: Problem) -> Output {
        Output {
            warning: Some(warning),
            ..Output::text("")
        }
    }
}

/// A Hugo call, with its inside if a closing tag pairs with it.
pub(super) fn hugo(call: &Call, inner: Option<&str>, line_start: bool, params: Params) -> Output {
    match call.name.as_str() {
        "figure" => figure(call),
        "ref" | "relref" => reference(call),
        "youtube" | "vimeo" => video(call),
        "gist" => gist(call),
        "x" | "tweet" | "twitter" => post(call),
        "highlight" => match inner {
            Some(code) => {
                let (open, close) = fence(call.get("", Some(0)).unwrap_or(""), code, line_start);
                Output {
                    open,
                    close,
                    inner: Inner::Verbatim,
                    warning: None,
                }
            }
            None => Output::removed(unpaired(call, "highlight")),
        },
        "details" => details(call, inner.is_some()),
        "param" => param(call, params),
        "qr" => qr(call, inner),
        "comment" => Output {
            inner: Inner::Drop,
            ..Output::text("")
        },
        _ => unknown(call, inner.is_some()),
    }
}

/// A presswerk text argument: quoted, with `\` and `"` escaped, on one line.
fn quoted(s: &str) -> String {
    let one_line = s.replace(['\r', '\n'], " ");
    format!(
        "\"{}\"",
        one_line.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// `figure` → `{{ bild(…) }}`; `attr` (Hugo's attribution) is the credit. A `src`, `link`
/// or `attrlink` with a scheme a page must not link to is left out, as it would be from a
/// Markdown link, with a warning.
fn figure(call: &Call) -> Output {
    let mut args = vec![("alt", call.get("alt", None).unwrap_or(""))];
    let mut refused = None;
    for (hugo, ours, position) in [
        ("src", "src", Some(0)),
        ("caption", "caption", None),
        ("title", "title", None),
        ("link", "link", None),
        ("attr", "credit", None),
        ("attrlink", "credit_link", None),
        ("width", "width", None),
        ("height", "height", None),
    ] {
        let Some(v) = call.get(hugo, position) else {
            continue;
        };
        let url = matches!(hugo, "src" | "link" | "attrlink");
        match super::super::schemes::refused(v, hugo == "src").filter(|_| url) {
            Some(scheme) => refused = Some((hugo, scheme)),
            None => args.push((ours, v)),
        }
    }
    if !args.iter().any(|(k, _)| *k == "src") {
        args.push(("src", ""));
    }
    // `src` first, as the theme documents it.
    args.sort_by_key(|(k, _)| *k != "src");
    let list: Vec<String> = args
        .iter()
        .map(|(k, v)| format!("{k}={}", quoted(v)))
        .collect();
    let mut out = Output::text(format!("{{{{ bild({}) }}}}", list.join(", ")));
    out.warning = refused.map(|(arg, scheme)| {
        warn(
            call,
            &format!("`figure` with a `{scheme}:` URL in `{arg}`"),
            "that argument is left out",
            "link to http(s) URLs or to files and pages of the site",
        )
    });
    out
}

/// `ref` / `relref` → `@/path#anchor`; a bare `#anchor` stays one.
fn reference(call: &Call) -> Output {
    let target = call.get("path", Some(0)).unwrap_or("");
    if target.is_empty() {
        return Output::removed(warn(
            call,
            "`ref` without a path",
            "removed",
            "write the link as [text](@/artikel/datei.md)",
        ));
    }
    Output::text(internal_link(target))
}

/// An `@/` link to a content path as Hugo or Jekyll names it (`/post/x.md`, `post/x`).
pub(super) fn internal_link(target: &str) -> String {
    if target.starts_with('#') {
        return target.to_string();
    }
    format!(
        "@/{}",
        target.trim_start_matches("./").trim_start_matches('/')
    )
}

/// Whether `s` is a plain id (letters, digits, `-`, `_`): safe inside a URL as it is.
fn plain_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `youtube` / `vimeo` → `{{ video(provider=…, id=…) }}`, a link card of the theme.
fn video(call: &Call) -> Output {
    let id = call.get("id", Some(0)).unwrap_or("");
    if !plain_id(id) {
        return Output::removed(warn(
            call,
            &format!("`{}` without a usable video id", call.name),
            "removed",
            "give the id as in {{< youtube dQw4w9WgXcQ >}}",
        ));
    }
    let mut args = format!("provider={}, id={}", quoted(&call.name), quoted(id));
    if let Some(t) = call.get("title", None) {
        args.push_str(&format!(", title={}", quoted(t)));
    }
    Output::text(format!("{{{{ video({args}) }}}}"))
}

/// `gist user id [file]` → a link to the gist.
fn gist(call: &Call) -> Output {
    let (user, id) = (
        call.get("user", Some(0)).unwrap_or(""),
        call.get("id", Some(1)).unwrap_or(""),
    );
    if !plain_id(user) || !plain_id(id) {
        return Output::removed(warn(
            call,
            "`gist` without user and id",
            "removed",
            "write a link: [Gist](https://gist.github.com/user/id)",
        ));
    }
    Output::text(format!(
        "[Gist {user}/{id}](https://gist.github.com/{user}/{id})"
    ))
}

/// `x` / `tweet` → a link to the post on x.com.
fn post(call: &Call) -> Output {
    let user = call.get("user", None).unwrap_or("");
    let id = call.get("id", Some(0)).unwrap_or("");
    if !id.chars().all(|c| c.is_ascii_digit())
        || id.is_empty()
        || !(user.is_empty() || plain_id(user))
    {
        return Output::removed(warn(
            call,
            &format!("`{}` without a post id", call.name),
            "removed",
            "write a link: [Beitrag](https://x.com/user/status/id)",
        ));
    }
    Output::text(if user.is_empty() {
        format!("[Beitrag auf X](https://x.com/i/status/{id})")
    } else {
        format!("[Beitrag von @{user} auf X](https://x.com/{user}/status/{id})")
    })
}

/// A fenced code block around `code`: (opening fence, closing fence). The fence is longer
/// than any run of backquotes in the code, so the code cannot end it.
pub(super) fn fence(lang: &str, code: &str, line_start: bool) -> (String, String) {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat((longest + 1).max(3));
    let lang: String = lang
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect();
    let open = format!(
        "{}{ticks}{lang}{}",
        if line_start { "" } else { "\n" },
        if code.starts_with('\n') { "" } else { "\n" }
    );
    let close = format!("{}{ticks}", if code.ends_with('\n') { "" } else { "\n" });
    (open, close)
}

/// `details` → `<details><summary>`, its inside Markdown.
fn details(call: &Call, paired: bool) -> Output {
    if !paired {
        return Output::removed(unpaired(call, "details"));
    }
    let summary = call.get("summary", Some(0)).unwrap_or("Details");
    let open = matches!(call.get("open", None), Some("true"));
    Output {
        open: format!(
            "<details{}><summary>{}</summary>\n\n",
            if open { " open" } else { "" },
            escape_html(summary)
        ),
        close: "\n\n</details>".to_string(),
        inner: Inner::Translate,
        warning: None,
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `param "key"` → the value, or nothing and a warning.
fn param(call: &Call, params: Params) -> Output {
    let key = call.get("name", Some(0)).unwrap_or("");
    match params(key) {
        Some(v) => Output::text(v),
        None => Output::removed(warn(
            call,
            &format!("`param` `{key}` has no value"),
            "removed",
            format!("set `{key}:` in the front matter, or `{key}` in site.toml's [extra]"),
        )),
    }
}

/// `qr` → a link to its text when that is a URL; presswerk makes no QR images.
fn qr(call: &Call, inner: Option<&str>) -> Output {
    let text = call.get("text", None).or(inner).unwrap_or("").trim();
    let inner_mode = if inner.is_some() {
        Inner::Drop
    } else {
        Inner::Translate
    };
    if text.starts_with("https://") || text.starts_with("http://") {
        return Output {
            inner: inner_mode,
            ..Output::text(format!("<{text}>"))
        };
    }
    Output {
        inner: inner_mode,
        ..Output::removed(warn(
            call,
            "`qr` code of a text that is no URL",
            "removed",
            "presswerk makes no QR images: put an image of the code into the page's folder",
        ))
    }
}

fn unknown(call: &Call, paired: bool) -> Output {
    let label = if paired {
        "removed; the text inside is kept"
    } else {
        "removed"
    };
    Output::removed(warn(
        call,
        &format!("Hugo shortcode `{}` is not known to presswerk", call.name),
        label,
        format!(
            "make it a presswerk shortcode: templates/shortcodes/{}.html, called as {{{{ {}(…) }}}}; or write its content out",
            call.name, call.name
        ),
    ))
}

fn unpaired(call: &Call, name: &str) -> Problem {
    warn(
        call,
        &format!("`{name}` without its closing tag"),
        "removed",
        format!("end it with {{{{< /{name} >}}}}"),
    )
}

fn warn(call: &Call, message: &str, label: &str, help: impl Into<String>) -> Problem {
    Problem::warning(CODE, call.name_span.clone(), message, label, help)
}

/// A closing tag that closes nothing.
pub(super) fn stray_close(name: &str, span: Range<usize>) -> Problem {
    Problem::warning(
        CODE,
        span,
        format!("closing tag of `{name}` without its opening tag"),
        "removed",
        "remove it, or open the shortcode before",
    )
}

/// `{{<` that nothing closes.
pub(super) fn unclosed(span: Range<usize>, opener: &str) -> Problem {
    let closer = if opener == "{{%" { "%}}" } else { ">}}" };
    Problem::warning(
        CODE,
        span,
        format!("`{opener}` is never closed"),
        "removed",
        format!("end the shortcode with `{closer}`, or write `{{` as `&#123;`"),
    )
}

/// A Liquid tag (Jekyll), and for `raw`, `highlight` and `comment` the text up to its end
/// tag: the whole replacement.
pub(super) fn liquid(
    name: &str,
    span: Range<usize>,
    words: &[String],
    inner: Option<&str>,
) -> Output {
    let first = words.first().map(String::as_str).unwrap_or("");
    let warning = |message: String, help: &str| {
        Output::removed(Problem::warning(
            "liquid-tag",
            span.clone(),
            message,
            "removed",
            help,
        ))
    };
    match (name, inner) {
        ("raw", Some(text)) => Output::text(escape_calls(text)),
        ("highlight", Some(code)) => {
            let (open, close) = fence(first, code, false);
            Output::text(format!("{open}{code}{close}\n"))
        }
        ("comment", Some(_)) => Output::text(""),
        ("raw" | "highlight" | "comment", None) => warning(
            format!("Liquid `{name}` without `end{name}`"),
            &format!("end it with {{% end{name} %}}"),
        ),
        ("link", _) if !first.is_empty() => Output::text(internal_link(first)),
        ("post_url", _) => warning(
            format!("Jekyll `post_url` `{first}` cannot be resolved"),
            "write the link to the article's file: [text](@/artikel/<file>.md)",
        ),
        ("include", _) => warning(
            format!("Jekyll `include` of `{first}`"),
            "presswerk has no includes: copy the text in, or make it a shortcode in templates/shortcodes/",
        ),
        _ => warning(
            format!("Liquid tag `{name}` is not known to presswerk"),
            "Liquid is not run: write the content out, or use a presswerk shortcode",
        ),
    }
}

/// A Liquid output `{{ page.title }}`.
pub(super) fn liquid_var(name: &str, span: Range<usize>) -> Problem {
    Problem::warning(
        "liquid-tag",
        span,
        format!("Liquid variable `{name}` is not expanded"),
        "removed",
        "write the value itself; front matter values reach templates, not the text",
    )
}

/// The inside of `{% raw %}`: kept as written. Outside code, `{{` and `{%` get their brace
/// as `&#123;`, so presswerk's own shortcodes do not read them either.
fn escape_calls(text: &str) -> String {
    let code = code_ranges(text);
    let mut out = String::with_capacity(text.len());
    let mut c = 0;
    for (i, ch) in text.char_indices() {
        while c < code.len() && code[c].end <= i {
            c += 1;
        }
        let in_code = code.get(c).is_some_and(|r| r.start <= i);
        let next = text[i + ch.len_utf8()..].chars().next();
        if ch == '{' && !in_code && matches!(next, Some('{' | '%')) {
            out.push_str("&#123;");
        } else {
            out.push(ch);
        }
    }
    out
}
