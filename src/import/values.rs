//! Small functions over the old site's values: TOML to YAML, dates in the forms presswerk
//! reads, lists that Jekyll also writes as one space-separated string, and Hugo's
//! case-insensitive keys.

use serde_yaml::{Mapping, Value};

/// A TOML value as YAML; dates become their text (`2020-01-02`, `2020-01-02T10:00:00+01:00`).
pub(super) fn toml_to_yaml(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Value::Number(f.into()),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Sequence(a.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(t) => Value::Mapping(
            t.into_iter()
                .map(|(k, v)| (Value::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// The value of `key` in `m`, its case ignored (Hugo's configuration keys are
/// case-insensitive: `baseURL`, `baseurl`).
pub(super) fn get<'a>(m: &'a Mapping, key: &str) -> Option<&'a Value> {
    m.iter()
        .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
        .map(|(_, v)| v)
}

/// The text of `key`, if it is text (or a number, written as text).
pub(super) fn text(m: &Mapping, key: &str) -> Option<String> {
    scalar(get(m, key)?)
}

/// A scalar as text.
pub(super) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of texts: a YAML list, or one text. `split_words`: Jekyll's
/// `tags: a b` means two tags.
pub(super) fn list(v: &Value, split_words: bool) -> Vec<String> {
    match v {
        Value::Sequence(s) => s.iter().filter_map(scalar).collect::<Vec<_>>(),
        Value::String(s) if split_words => s.split_whitespace().map(str::to_string).collect(),
        other => scalar(other).into_iter().collect(),
    }
    .into_iter()
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
    .collect()
}

/// Whether `key` is `true` in `m`.
pub(super) fn flag(m: &Mapping, key: &str) -> bool {
    matches!(get(m, key), Some(Value::Bool(true)))
        || text(m, key).is_some_and(|t| t.eq_ignore_ascii_case("true"))
}

/// A date of the old site in a form presswerk reads: `2020-01-02`, `2020-01-02T10:00:00`
/// (in the site's time zone) or RFC 3339. Jekyll's `2020-01-02 10:00:00 +0100` gets its
/// offset written the RFC 3339 way. `None` for text that is no date.
pub(super) fn date(raw: &str) -> Option<String> {
    let t = raw.trim();
    if let Ok(d) = t.parse::<jiff::civil::Date>()
        && t.len() == 10
    {
        return Some(d.to_string());
    }
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        // Keep the offset as written: the same instant, the same wall time.
        if let Ok(z) = jiff::fmt::strtime::parse("%Y-%m-%dT%H:%M:%S%.f%:z", t)
            .and_then(|b| b.to_zoned_datetime())
        {
            return Some(z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string());
        }
        return Some(ts.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%d %H:%M:%S%.f %z",
    ] {
        if let Ok(z) = jiff::fmt::strtime::parse(fmt, t).and_then(|b| b.to_zoned_datetime()) {
            return Some(z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string());
        }
    }
    let civil = t.replacen(' ', "T", 1);
    if let Ok(dt) = civil.parse::<jiff::civil::DateTime>() {
        return Some(dt.strftime("%Y-%m-%dT%H:%M:%S").to_string());
    }
    None
}

/// The civil date (year, month, day) of a normalized date, for the old site's permalinks.
pub(super) fn ymd(normalized: &str) -> Option<jiff::civil::Date> {
    normalized.get(..10)?.parse().ok()
}

/// A title from a file name: `sommer-fest_2024` → `Sommer fest 2024`.
pub(super) fn titleize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut c = words.trim().chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_else(|| "Seite".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_hugo_and_jekyll_become_dates_presswerk_reads() {
        let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        for (raw, want) in [
            ("2024-01-12", "2024-01-12"),
            ("2019-03-11T10:00:00+01:00", "2019-03-11T10:00:00+01:00"),
            ("2019-03-11T09:00:00Z", "2019-03-11T09:00:00+00:00"),
            ("2016-05-20 21:21:21 +0100", "2016-05-20T21:21:21+01:00"),
            ("2016-05-20 21:21:21", "2016-05-20T21:21:21"),
            ("2016-05-20 21:21", "2016-05-20T21:21:00"),
        ] {
            let got = date(raw).unwrap_or_else(|| panic!("{raw} is a date"));
            assert_eq!(got, want, "{raw}");
            crate::text::dates::parse_date(&got, &tz)
                .unwrap_or_else(|e| panic!("presswerk reads {got}: {e}"));
        }
        assert_eq!(date("gestern"), None);
        assert_eq!(date("2024-13-01"), None);
    }

    #[test]
    fn jekyll_word_lists_and_case_insensitive_keys() {
        assert_eq!(list(&Value::from("a b"), true), ["a", "b"]);
        assert_eq!(list(&Value::from("a b"), false), ["a b"]);
        let m: Mapping = serde_yaml::from_str("baseURL: x").unwrap();
        assert_eq!(text(&m, "baseurl").as_deref(), Some("x"));
    }
}
