/** Settings of the chat service and the beans its features share (clock); depends on no feature. */
package dev.beacon.chat.config;
