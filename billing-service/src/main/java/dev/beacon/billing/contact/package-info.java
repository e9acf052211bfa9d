/** The workspace's billing contact: the address its billing notices are e-mailed to. */
package dev.beacon.billing.contact;
