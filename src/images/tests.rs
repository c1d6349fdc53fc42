use super::*;

#[test]
fn widths_are_never_upscaled_and_the_original_is_the_widest_when_small() {
    let s = Settings::default();
    assert_eq!(s.widths_for(3000), vec![480, 800, 1200, 1600]);
    assert_eq!(s.widths_for(1000), vec![480, 800, 1000]);
    assert_eq!(s.widths_for(300), vec![300]);
    assert_eq!(s.widths_for(800), vec![480, 800]);
}

#[test]
fn sizes_keep_the_aspect_ratio_and_never_grow() {
    assert_eq!(scaled_height(3000, 2000, 480), 320);
    assert_eq!(fit_size(3000, 2000, 600, 0), (600, 400));
    assert_eq!(fit_size(3000, 2000, 600, 200), (300, 200));
    assert_eq!(fit_size(300, 200, 600, 0), (300, 200));
    assert_eq!(fill_size(3000, 2000, 1200, 630), (1200, 630));
    assert_eq!(fill_size(600, 400, 1200, 630), (600, 315));
}

#[test]
fn a_title_gives_caption_and_credit() {
    let c = caption_from_title("Alt", "Das Treffen in Köln. Foto: Ann Labus");
    assert_eq!(c.caption.as_deref(), Some("Das Treffen in Köln."));
    assert_eq!(c.credit.as_deref(), Some("Ann Labus"));
    let c = caption_from_title("Alt", "Nur Text");
    assert_eq!((c.caption.as_deref(), c.credit), (Some("Nur Text"), None));
    let c = caption_from_title("Alt", "");
    assert_eq!((c.caption, c.credit), (None, None));
}
