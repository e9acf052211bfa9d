/** The provider registry, settings rules, key encryption and the views the API answers with. */
package dev.beacon.chat.provider.domain;
