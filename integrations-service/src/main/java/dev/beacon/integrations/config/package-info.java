/** The service's settings ({@code beacon.integrations.*}) and the beans shared by its features. */
package dev.beacon.integrations.config;
