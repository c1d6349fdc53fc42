//! `presswerk init`: a new site that builds as it is.

use crate::harness::{Run, presswerk};

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mein-newsletter");
    let mut init = presswerk();
    init.arg("init").arg(&site);
    let run = Run::of(init, &site).expect_success();
    insta::assert_snapshot!(run.stdout(), @"Created a new site in [ROOT] (49 files). Next: presswerk build --root [ROOT]");
    insta::assert_snapshot!(run.stderr(), @"");
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
    let mut init = presswerk();
    init.arg("init").arg(dir.path());
    let run = Run::of(init, dir.path()).expect_failure();
    insta::assert_snapshot!(run.stderr(), @"error: [ROOT] exists and is not empty; presswerk init only writes into a new or empty folder");
    assert_eq!(run.stdout(), "");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notiz.txt")).unwrap(),
        "bleibt"
    );
}

#[test]
fn bad_command_line_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = presswerk();
        cmd.current_dir(dir.path()).args(args);
        Run::of(cmd, dir.path()).expect_code(2)
    };
    insta::assert_snapshot!(run(&["bauen"]).stderr(), @r"
        error: unrecognized subcommand 'bauen'

        Usage: presswerk <COMMAND>

        For more information, try '--help'.
        ");
    insta::assert_snapshot!(run(&["build", "--nope"]).stderr(), @r"
        error: unexpected argument '--nope' found

        Usage: presswerk build [OPTIONS]

        For more information, try '--help'.
        ");
}
