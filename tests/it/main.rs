//! One integration-test binary for the whole workspace (links once).

mod auth;
mod builders;
mod call_options;
mod codegen_errors;
mod composition;
mod decode;
mod diff;
mod examples;
mod export_examples;
mod extend;
mod fresh;
mod hostile;
mod hostile_server;
mod hostile_specs;
mod http_gumloop;
mod http_hienergy;
mod http_onlyfansapi;
mod http_vantage;
mod pages;
mod resilience;
mod select;
mod send_sync;
mod snapshots;
mod stable_names;
mod streams;
mod support;
