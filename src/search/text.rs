//! The plain text of rendered HTML, as a reader sees it: entities decoded, tags gone, a
//! space where a tag was (block elements separate words), no script or style.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// The text of `html`, whitespace collapsed to single spaces.
pub(crate) fn plain(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut skip = false;
    let emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                skip = matches!(name, b"script" | b"style" | b"template");
                raw.push(' ');
            }
            CallbackEvent::EndTag { .. } => {
                skip = false;
                raw.push(' ');
            }
            CallbackEvent::String { value } if !skip => {
                raw.push_str(&String::from_utf8_lossy(value));
            }
            _ => {}
        }
        None
    });
    let mut emitter = emitter;
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(html.as_bytes(), emitter) {}
    let mut out = String::with_capacity(raw.len());
    for w in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn text_of_html() {
        assert_eq!(
            plain("<h2>Ein&nbsp;Titel</h2><p>Tom &amp; Jerry<br>im <em>Kölner</em> Hyatt</p>"),
            "Ein Titel Tom & Jerry im Kölner Hyatt"
        );
        assert_eq!(plain("<p>a</p><script>var x = 1;</script><p>b</p>"), "a b");
        assert_eq!(plain("unclosed <b"), "unclosed");
    }
}
