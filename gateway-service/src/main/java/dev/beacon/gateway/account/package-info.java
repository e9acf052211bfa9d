/**
 * Users, workspaces, memberships and roles: `GET /api/me`, switching workspace, inviting, changing
 * roles, removing members, and the headless bootstrap of the initial user.
 */
package dev.beacon.gateway.account;
