"""Sending webhook deliveries over HTTP (httpx) and keeping the installation's webhook key."""
