//! The preview server's request heads: httparse's reading within presswerk's limits, and
//! the target turned into a path of the output.
//!
//! - a target that is served names a file inside the output: relative, no `..` or `.`
//!   segment, no empty segment, no NUL, no backslash, and a safe output path;
//! - reading is deterministic;
//! - what arrives first decides: when the first half of the bytes is already refused, the
//!   whole is refused; when it is already a whole head, the whole is read the same (the
//!   server answers as soon as it can, so later bytes must not change the answer).
#![no_main]

use libfuzzer_sys::fuzz_target;
use presswerk::internals::check_path;
use presswerk::internals::serve::{Request, examine};

fuzz_target!(|data: &[u8]| {
    let whole = examine(data);
    assert_eq!(whole, examine(data), "deterministic");
    if let Request::File(path) = &whole {
        assert!(!path.is_empty() && !path.starts_with('/'), "{path:?}");
        assert!(!path.contains(['\0', '\\']), "{path:?}");
        assert!(
            path.split('/')
                .all(|s| !s.is_empty() && s != "." && s != ".."),
            "{path:?}"
        );
        assert!(check_path(path).is_ok(), "{path:?}");
    }
    let half = examine(&data[..data.len() / 2]);
    match half {
        Request::Partial => {}
        Request::Refused(_) => {
            assert!(
                matches!(whole, Request::Refused(_)),
                "{half:?} then {whole:?}"
            )
        }
        read => assert_eq!(
            read, whole,
            "a whole head is read the same with more after it"
        ),
    }
});
