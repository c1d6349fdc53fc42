//! `presswerk init`: a new site that builds as it is.

use crate::harness::presswerk;

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mein-newsletter");
    presswerk().arg("init").arg(&site).assert().success();
    presswerk()
        .args(["build", "--root"])
        .arg(&site)
        .assert()
        .success();
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("So schreiben Sie einen Artikel"));
    assert!(
        site.join("public/artikel/erster-artikel/index.html")
            .is_file()
    );
    assert!(site.join("public/autoren/redaktion/index.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notiz.txt"), "bleibt").unwrap();
    let assert = presswerk().arg("init").arg(dir.path()).assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notiz.txt")).unwrap(),
        "bleibt"
    );
}

#[test]
fn bad_command_line_exits_2() {
    presswerk().arg("bauen").assert().code(2);
    presswerk().args(["build", "--nope"]).assert().code(2);
}
