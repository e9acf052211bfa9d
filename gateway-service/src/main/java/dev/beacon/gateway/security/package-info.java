/**
 * The gateway's security filter chains (intake, API key, browser), assembled from the login,
 * session, account, apikey and frontend features; no feature depends on it.
 */
package dev.beacon.gateway.security;
