//! HTTP: the JSON API with its OpenAPI document, and the server-rendered UI.
