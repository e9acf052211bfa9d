/** HTTP helpers several features share (field-level validation messages); depends on no feature. */
package dev.beacon.chat.web;
