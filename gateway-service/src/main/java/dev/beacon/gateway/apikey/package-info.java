/** API keys with the `read` scope, verified with the ingest service, for `GET /api/obs/**`. */
package dev.beacon.gateway.apikey;
