fn main() {
    // sqlx::migrate! and include_str! embed these; rebuild when they change.
    println!("cargo:rerun-if-changed=../migrations");
    println!("cargo:rerun-if-changed=locales");
}
