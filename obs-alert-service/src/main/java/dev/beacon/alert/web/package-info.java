/** The HTTP error contract shared by the alert service's endpoints. */
package dev.beacon.alert.web;
