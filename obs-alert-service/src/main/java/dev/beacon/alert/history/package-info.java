/** Alert history: transitions with value, threshold, window, group and every delivery attempt. */
package dev.beacon.alert.history;
