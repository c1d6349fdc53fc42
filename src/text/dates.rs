//! Dates: the forms a date may be written in (front matter, the `YYYY-MM-DD-` file-name
//! prefix) and the forms templates show it in (month names, `format_date`). Kept on the ground
//! floor because loading, resolving, rendering and `presswerk new` all read or write dates, and
//! each must follow the same rule.

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;

/// Parses `2007-11-06`, `2007-11-06 10:00`, `2007-11-06T10:00:00` (all in `tz`) or a full
/// RFC 3339 timestamp with an offset (kept as that instant, shown in `tz`). Also what other
/// generators' sites hold: a one-digit hour (`2023-11-02T8:00:00+02:00`, which Hugo reads)
/// and Jekyll's `2023-11-02 08:00:00 +0200`.
pub(crate) fn parse_date(text: &str, tz: &TimeZone) -> Result<ZonedDateTime, String> {
    let text = text.trim();
    match parse_strict(text, tz) {
        Ok(z) => Ok(z),
        Err(why) => match lenient(text) {
            Some(fixed) => parse_strict(&fixed, tz).map_err(|_| why),
            None => Err(why),
        },
    }
}

/// The forms of [`parse_date`] as jiff reads them.
fn parse_strict(text: &str, tz: &TimeZone) -> Result<ZonedDateTime, String> {
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(ts.to_zoned_datetime(tz.clone()));
    }
    let civil = if text.len() <= 10 {
        text.parse::<jiff::civil::Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    } else {
        text.parse::<jiff::civil::DateTime>()
    };
    match civil {
        Ok(dt) => dt.to_zoned_datetime(tz.clone()).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// `text` rewritten into a form [`parse_strict`] reads, if it is a date and time with a
/// one-digit hour or a Jekyll-style offset (` +0200`, `+02`): `2023-11-02T08:00:00+02:00`.
fn lenient(text: &str) -> Option<String> {
    let (date, rest) = text.split_at_checked(10)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?.trim_start();
    let end = rest.find([' ', '+', '-', 'Z', 'z']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(end);
    let (hour, minutes) = time.split_once(':')?;
    if hour.is_empty() || hour.len() > 2 || !hour.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let zone = zone.trim();
    let zone = match zone.as_bytes() {
        [] => String::new(),
        [b'Z' | b'z'] => "Z".to_string(),
        [sign @ (b'+' | b'-'), h1, h2] => {
            format!("{}{}{}:00", *sign as char, *h1 as char, *h2 as char)
        }
        [sign @ (b'+' | b'-'), h1, h2, m1, m2] => format!(
            "{}{}{}:{}{}",
            *sign as char, *h1 as char, *h2 as char, *m1 as char, *m2 as char
        ),
        [b'+' | b'-', _, _, b':', _, _] => zone.to_string(),
        _ => return None,
    };
    Some(format!("{date}T{hour:0>2}:{minutes}{zone}"))
}

/// Splits a `YYYY-MM-DD-` prefix off a file stem: `("2007-11-06", "regionalgruppe")`.
pub(crate) fn split_date_prefix(stem: &str) -> (Option<&str>, &str) {
    let bytes = stem.as_bytes();
    let is_date = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !is_date {
        return (None, stem);
    }
    match bytes.get(10) {
        None => (Some(&stem[..10]), ""),
        Some(b'-') | Some(b'_') => (Some(&stem[..10]), &stem[11..]),
        Some(_) => (None, stem),
    }
}

/// The name of `month` (1–12) in `language` (German unless `en`).
pub(crate) fn month_name(month: i8, language: &str) -> &'static str {
    let i = usize::try_from(month - 1).unwrap_or(0).min(11);
    if language == "en" {
        MONTHS_EN[i]
    } else {
        MONTHS_DE[i]
    }
}

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Parses an RFC 3339 value and keeps its offset (which `Timestamp` alone would drop).
fn parse_with_offset(value: &str) -> Option<jiff::ZonedDateTime> {
    let ts: jiff::Timestamp = value.parse().ok()?;
    let offset = if value.ends_with('Z') || value.ends_with('z') {
        jiff::tz::Offset::UTC
    } else {
        let tail = value.get(value.len().checked_sub(6)?..)?;
        let sign = match tail.as_bytes().first()? {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let h: i32 = tail.get(1..3)?.parse().ok()?;
        let m: i32 = tail.get(4..6)?.parse().ok()?;
        jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()?
    };
    Some(ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(offset)))
}

/// Formats an RFC 3339 value: `long` ("6. November 2007" / "November 6, 2007"), `short`
/// ("06.11.2007" / "11/06/2007"), `iso` ("2007-11-06"), `rfc3339`, or `rfc2822` (for RSS).
pub(crate) fn format_date(value: &str, format: &str, language: &str) -> Result<String, String> {
    if format == "rfc2822" || format == "rfc3339" {
        let z = parse_with_offset(value)
            .ok_or_else(|| format!("format_date: `{value}` is not an RFC 3339 date and time"))?;
        return if format == "rfc3339" {
            Ok(z.timestamp().display_with_offset(z.offset()).to_string())
        } else {
            jiff::fmt::rfc2822::to_string(&z).map_err(|e| e.to_string())
        };
    }
    let date: jiff::civil::Date = value
        .get(..10)
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| format!("format_date: `{value}` is not a date"))?;
    let (y, m, d) = (date.year(), date.month(), date.day());
    let month = usize::try_from(m - 1).unwrap_or(0);
    Ok(match (format, language) {
        ("iso", _) => format!("{y:04}-{m:02}-{d:02}"),
        ("short", "de") => format!("{d:02}.{m:02}.{y:04}"),
        ("short", _) => format!("{m:02}/{d:02}/{y:04}"),
        ("long", "de") => format!("{d}. {} {y}", MONTHS_DE[month]),
        ("long", _) => format!("{} {d}, {y}", MONTHS_EN[month]),
        (other, _) => {
            return Err(format!(
                "format_date: unknown format `{other}` (long, short, iso, rfc3339, rfc2822)"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_accepted_form() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let p = |s| parse_date(s, &tz).unwrap().timestamp().to_string();
        assert_eq!(p("2007-11-06"), "2007-11-05T23:00:00Z");
        assert_eq!(p("2007-11-06 10:00"), "2007-11-06T09:00:00Z");
        assert_eq!(p("2007-11-06T10:00:00"), "2007-11-06T09:00:00Z");
        assert_eq!(p("2007-11-06T10:00:00Z"), "2007-11-06T10:00:00Z");
        assert_eq!(p("2007-11-06T10:00:00+02:00"), "2007-11-06T08:00:00Z");
        assert!(parse_date("2007-02-30", &tz).is_err());
        assert!(parse_date("gestern", &tz).is_err());
        // Hugo reads a one-digit hour, Jekyll writes its offset without a colon.
        assert_eq!(p("2023-11-02T8:00:00+02:00"), "2023-11-02T06:00:00Z");
        assert_eq!(p("2023-11-02 8:05"), "2023-11-02T07:05:00Z");
        assert_eq!(p("2023-11-02 08:00:00 +0200"), "2023-11-02T06:00:00Z");
        assert_eq!(p("2023-11-02 08:00:00 -0500"), "2023-11-02T13:00:00Z");
        assert_eq!(p("2023-11-02 08:00:00 +01"), "2023-11-02T07:00:00Z");
        assert!(parse_date("2023-11-02T25:00:00+02:00", &tz).is_err());
        assert!(parse_date("2023-11-02 08:00:00 +2", &tz).is_err());
    }

    #[test]
    fn date_prefix() {
        assert_eq!(
            split_date_prefix("2007-11-06-regionalgruppe-rheinland"),
            (Some("2007-11-06"), "regionalgruppe-rheinland")
        );
        assert_eq!(split_date_prefix("2007-11-06"), (Some("2007-11-06"), ""));
        assert_eq!(split_date_prefix("2007-11-6-x"), (None, "2007-11-6-x"));
        assert_eq!(split_date_prefix("über"), (None, "über"));
    }

    #[test]
    fn dates_in_both_languages_and_feed_formats() {
        let v = "2007-11-06T00:00:00+01:00";
        assert_eq!(format_date(v, "long", "de").unwrap(), "6. November 2007");
        assert_eq!(format_date(v, "long", "en").unwrap(), "November 6, 2007");
        assert_eq!(format_date(v, "short", "de").unwrap(), "06.11.2007");
        assert_eq!(format_date(v, "iso", "de").unwrap(), "2007-11-06");
        assert_eq!(
            format_date(v, "rfc2822", "de").unwrap(),
            "Tue, 6 Nov 2007 00:00:00 +0100"
        );
        assert_eq!(format_date(v, "rfc3339", "de").unwrap(), v);
        assert_eq!(
            format_date("2026-03-01", "long", "de").unwrap(),
            "1. März 2026"
        );
        assert!(format_date("gestern", "long", "de").is_err());
        assert!(format_date(v, "kurz", "de").is_err());
    }
}
