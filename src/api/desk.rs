//! `/_desk/config`: what the server offers (mock or proxy, which providers).

use super::{fetch, ApiError};
use export_desk_model::desk::{DeskConfig, IotdaProject, CONFIG_PATH};

pub async fn config() -> Result<DeskConfig, ApiError> {
    fetch::get_json(CONFIG_PATH, &[]).await
}

/// The IoTDA project the server says to use, when it offers IoTDA at all.
pub fn iotda_project(config: &DeskConfig) -> Option<&IotdaProject> {
    config.providers.iotda_project.as_ref().filter(|_| config.providers.iotda.enabled)
}
