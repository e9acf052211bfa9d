/** Conversations and their messages in PostgreSQL (R2DBC); every statement is workspace-scoped. */
package dev.beacon.chat.conversation.store;
