//! `/_desk/config`: what the server offers (mock or proxy, which providers).

use super::{fetch, ApiError};
use export_desk_model::desk::{DeskConfig, CONFIG_PATH};

pub async fn config() -> Result<DeskConfig, ApiError> {
    fetch::get_json(CONFIG_PATH).await
}
