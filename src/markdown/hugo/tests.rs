use super::*;

fn t(src: &str) -> Translated {
    translate_with(src, &|k| (k == "farbe").then(|| "blau".to_string()))
}

fn text(src: &str) -> String {
    let r = t(src);
    assert!(r.warnings.is_empty(), "{src:?}: {:?}", r.warnings);
    r.text
}

/// The codes and the text under each warning's span.
fn warned(src: &str) -> Vec<(String, &str)> {
    t(src)
        .warnings
        .iter()
        .map(|w| (w.message.clone(), &src[w.span.clone()]))
        .collect()
}

#[test]
fn builtins_become_presswerk_markdown() {
    let cases = [
        (
            "{{< figure src=\"a.jpg\" alt=\"A\" caption=\"Der \\\"Plan\\\"\" attr=\"Foto: B\" >}}",
            "{{ bild(src=\"a.jpg\", alt=\"A\", caption=\"Der \\\"Plan\\\"\", credit=\"Foto: B\") }}",
        ),
        (
            "{{% figure src=`x.png` title=\"T\" link=\"/y/\" /%}}",
            "{{ bild(src=\"x.png\", alt=\"\", title=\"T\", link=\"/y/\") }}",
        ),
        (
            "[Text]({{< ref \"/artikel/x.md#ort\" >}})",
            "[Text](@/artikel/x.md#ort)",
        ),
        ("[Text]({{< relref path=\"post/y\" >}})", "[Text](@/post/y)"),
        ("[a]({{< ref \"#oben\" >}})", "[a](#oben)"),
        (
            "{{< youtube dQw4w9WgXcQ >}}",
            "{{ video(provider=\"youtube\", id=\"dQw4w9WgXcQ\") }}",
        ),
        (
            "{{< vimeo id=\"146022717\" title=\"Film\" >}}",
            "{{ video(provider=\"vimeo\", id=\"146022717\", title=\"Film\") }}",
        ),
        (
            "{{< gist spf13 7896402 >}}",
            "[Gist spf13/7896402](https://gist.github.com/spf13/7896402)",
        ),
        (
            "{{< x user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}",
            "[Beitrag von @SanDiegoZoo auf X](https://x.com/SanDiegoZoo/status/1453110110599868418)",
        ),
        (
            "{{< tweet 877500564405444608 >}}",
            "[Beitrag auf X](https://x.com/i/status/877500564405444608)",
        ),
        (
            "{{< highlight go \"linenos=table\" >}}\nfmt.Println(\"{{< x >}}\")\n{{< /highlight >}}\n",
            "```go\nfmt.Println(\"{{< x >}}\")\n```\n",
        ),
        (
            "{{< details summary=\"Mehr <hier>\" >}}\n*Text*\n{{< /details >}}",
            "<details><summary>Mehr &lt;hier&gt;</summary>\n\n\n*Text*\n\n\n</details>",
        ),
        ("Farbe: {{< param \"farbe\" >}}.", "Farbe: blau."),
        (
            "{{< qr text=\"https://example.org/\" />}}",
            "<https://example.org/>",
        ),
        ("A{{< comment >}}weg {{< figure >}}{{< /comment >}}B", "AB"),
        (
            "{% raw %}{{ page.title }} `{{ x }}`{% endraw %}",
            "&#123;{ page.title }} `{{ x }}`",
        ),
        (
            "{% highlight ruby %}\nputs 1\n{% endhighlight %}",
            "\n```ruby\nputs 1\n```\n",
        ),
        (
            "[L]({% link _posts/2016-07-26-x.md %})",
            "[L](@/_posts/2016-07-26-x.md)",
        ),
        ("{% comment %}intern{% endcomment %}sichtbar", "sichtbar"),
    ];
    for (src, want) in cases {
        assert_eq!(text(src), want, "{src:?}");
    }
}

#[test]
fn presswerk_calls_and_plain_braces_stay() {
    for src in [
        "{{ bild(src=\"a.jpg\", alt=\"b\") }}",
        "{% zitat(autor=\"X\") %}Text{% end %}",
        "Mengen {{a, b}} und {x}",
        "ein { allein",
    ] {
        assert_eq!(text(src), src);
        assert_eq!(t(src).offsets, OffsetMap::default());
    }
    // A translation is stable: translated text translates to itself.
    let once =
        t("{{< figure src=\"a.jpg\" >}} {{< youtube abc >}} {% raw %}{{ x }}{% endraw %}").text;
    assert_eq!(t(&once).text, once);
}

#[test]
fn code_stays_as_written_and_escapes_show_the_call() {
    let src = "`{{< figure src=\"a\" >}}`\n\n```\n{{< ref \"x\" >}}\n{% include a.html %}\n```\n\n    {{< x >}}\n";
    assert_eq!(text(src), src);
    assert_eq!(
        text("```\n{{</* figure src=\"a\" */>}}\n```\n"),
        "```\n{{< figure src=\"a\" >}}\n```\n"
    );
    assert_eq!(text("So: {{%/* x */%}}"), "So: &#123;&#123;% x %}}");
}

#[test]
fn everything_else_is_removed_with_a_warning_naming_it() {
    assert_eq!(
        warned("A {{< instagram BWNjjyYFxVx >}} B"),
        [(
            "Hugo shortcode `instagram` is not known to presswerk".to_string(),
            "instagram"
        )]
    );
    assert_eq!(t("A {{< instagram x >}} B").text, "A  B");
    // A pair: the tags go, the text inside stays.
    let r = t("{{% notice tip %}}Wichtig{{% /notice %}}");
    assert_eq!(r.text, "Wichtig");
    assert_eq!(r.warnings[0].label, "removed; the text inside is kept");
    assert_eq!(
        warned("{% include footer.html %} {{ page.title }} {% if x %}y{% endif %}"),
        [
            ("Jekyll `include` of `footer.html`".to_string(), "include"),
            (
                "Liquid variable `page.title` is not expanded".to_string(),
                "page.title"
            ),
            (
                "Liquid tag `if` is not known to presswerk".to_string(),
                "if"
            ),
            (
                "Liquid tag `endif` is not known to presswerk".to_string(),
                "endif"
            ),
        ]
    );
    assert_eq!(t("{{ site.title | upcase }}!").text, "!");
    assert_eq!(warned("x {{< /details >}}")[0].1, "details");
    assert_eq!(
        warned("{{< param \"fehlt\" >}}")[0].0,
        "`param` `fehlt` has no value"
    );
}

#[test]
fn unclosed_openers_go_and_do_not_swallow_what_follows() {
    let src = "A {{< figure src=\"a\" B {{< youtube abc >}} C {{%";
    let r = t(src);
    assert_eq!(
        r.text,
        "A  figure src=\"a\" B {{ video(provider=\"youtube\", id=\"abc\") }} C "
    );
    let spans: Vec<_> = r.warnings.iter().map(|w| w.span.clone()).collect();
    let last = src.rfind("{{%").unwrap();
    assert_eq!(spans, [2..5, last..last + 3]);
    assert!(!r.text.contains("{{<"));
}

#[test]
fn reference_definitions_keep_working() {
    let src = "[eins][1] und [zwei][2]\n\n[1]: {{< ref \"a.md\" >}}\n[2]: https://example.org\n";
    let out = text(src);
    let html = crate::markdown::render(&out, Default::default()).html;
    assert!(html.contains("href=\"@/a.md\""), "{html}");
    assert!(html.contains("href=\"https://example.org\""), "{html}");
}

#[test]
fn offsets_point_back_into_the_original() {
    let src = "{{< figure src=\"a.jpg\" >}}\nZeile zwei {{< unbekannt >}} Ende\n";
    let r = t(src);
    let end = r.text.find("Ende").unwrap();
    assert_eq!(r.offsets.original(end), src.find("Ende").unwrap());
    let zwei = r.text.find("zwei").unwrap();
    assert_eq!(r.offsets.original(zwei), src.find("zwei").unwrap());
    // Inside a replaced call, the call's start.
    assert_eq!(r.offsets.original(3), 0);
}

#[test]
fn many_fragments_are_each_handled_once() {
    // 100,000 unclosed openers, and as many calls: each searched for once, not once per
    // opener (benches/foreign_shortcodes.sh times it). Unclosed Liquid stays text.
    for (piece, warnings) in [
        ("{{< ", 100_000),
        ("{{< a >}}", 100_000),
        ("{{</* ", 100_000),
        ("{% raw %}", 100_000),
        ("{% x ", 0),
        ("{{ y ", 0),
    ] {
        let src = piece.repeat(100_000);
        let r = t(&src);
        assert!(!r.text.contains("{{<"), "{piece}");
        assert_eq!(r.warnings.len(), warnings, "{piece}");
        if warnings == 0 {
            assert_eq!(r.text, src);
        }
    }
}

mod properties {
    use proptest::prelude::*;

    use super::super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// On any text: no panic, every warning and every mapped offset inside the original
        /// and on a character boundary, and, where the text has no code, no Hugo opener left.
        #[test]
        fn any_text_translates_inside_its_bounds(s in "[{}<>%/ a-z\"`=\nä]{0,120}") {
            let r = translate(&s);
            for w in &r.warnings {
                prop_assert!(w.span.start <= w.span.end && w.span.end <= s.len());
                prop_assert!(s.is_char_boundary(w.span.start) && s.is_char_boundary(w.span.end));
            }
            for p in 0..=r.text.len() {
                let o = r.offsets.original(p);
                prop_assert!(o <= s.len(), "{p} → {o}");
            }
            if code_ranges(&s).is_empty() && code_ranges(&r.text).is_empty() {
                prop_assert!(!r.text.contains("{{<") && !r.text.contains("{{%"), "{:?} → {:?}", s, r.text);
            }
        }
    }
}

#[test]
fn removing_a_call_does_not_join_braces_into_a_new_opener() {
    for src in ["{{{{< a >}}<", "{{{{< a >}}% x", "{{< a >}}{{< b >}}<"] {
        let r = t(src);
        assert!(
            !r.text.contains("{{<") && !r.text.contains("{{%"),
            "{src:?} → {:?}",
            r.text
        );
    }
}
