// Units and times as the user reads them (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";
import { Formatter } from "../src/format";
import type { HomeAssistant } from "../src/types";

const hass = (temperature: string, mass: string): HomeAssistant =>
  ({
    language: "en",
    locale: { language: "en", time_zone: "server" },
    config: { time_zone: "Europe/Berlin", unit_system: { temperature, mass } },
  }) as HomeAssistant;

test("°C and kg as sent; °F and lb for a US unit system", () => {
  const metric = new Formatter(hass("°C", "g"), "en");
  assert.equal(metric.temperature(38.4), "38.4 °C");
  assert.equal(metric.weight(71.3), "71.3 kg");
  const us = new Formatter(hass("°F", "lb"), "en");
  assert.equal(us.temperature(38), "100.4 °F");
  assert.equal(us.weight(45.359237), "100.0 lb");
  assert.equal(us.weightChange(-0.45359237), "-1.0 lb");
});

test("times in the server's zone, across a DST change", () => {
  const f = new Formatter(hass("°C", "g"), "en");
  // 2026-03-29 00:30 UTC is 01:30 CET; 01:30 UTC the same day is 03:30 CEST.
  const before = Date.UTC(2026, 2, 29, 0, 30) / 1000;
  assert.match(f.clock(before, before), /^1:30\sAM$/);
  assert.match(f.clock(before + 3600, before), /^3:30\sAM$/);
});

test("how far away, in the user's language", () => {
  const f = new Formatter(hass("°C", "g"), "en");
  assert.equal(f.fromNow(1200, 0), "in 20 minutes");
  assert.equal(f.fromNow(-7200, 0), "2 hours ago");
  assert.equal(f.fromNow(2 * 86400, 0), "in 2 days");
  assert.equal(new Formatter(hass("°C", "g"), "zh-Hans").fromNow(1200, 0), "20分钟后");
  assert.equal(f.isoDate("2027-03-01"), "Mar 1, 2027");
});
