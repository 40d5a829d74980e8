//! `.env.example` must document every variable the binaries read.

use std::{collections::BTreeSet, fs, path::Path};

fn read_vars(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_vars(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).unwrap();
            for call in [
                "var_or(\"",
                "required(\"",
                "optional(\"",
                "ranged(\"",
                "optional::<PathBuf>(\"",
                "optional::<String>(\"",
            ] {
                for piece in text.split(call).skip(1) {
                    if let Some(name) = piece.split('"').next() {
                        if name
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                            && !name.starts_with("TIKETI_CONFIG_TEST")
                        {
                            found.insert(name.to_string());
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn every_variable_the_code_reads_is_in_env_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut read = BTreeSet::new();
    for crate_dir in ["core/src", "api/src", "worker/src", "sweeper/src"] {
        read_vars(&root.join(crate_dir), &mut read);
    }
    assert!(read.len() > 25, "the scan found the variables: {read:?}");
    let example = fs::read_to_string(root.join(".env.example")).unwrap();
    let documented: BTreeSet<String> = example
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect();
    let missing: Vec<_> = read.difference(&documented).collect();
    assert!(missing.is_empty(), ".env.example lacks {missing:?}");
}
