/** Agent rules: field validation and limits, archiving, the view the API answers with. */
package dev.beacon.chat.agent.domain;
