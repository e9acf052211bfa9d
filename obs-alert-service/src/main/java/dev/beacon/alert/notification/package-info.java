/** In-app notifications: storage, the list and mark-read API, and the live SSE stream. */
package dev.beacon.alert.notification;
