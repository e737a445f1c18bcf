// The household the card draws: a snapshot, then each delta merged in (node --test).
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyDelta, receive } from "../src/household";
import type { Chore, Household, Member } from "../src/types";

const member = (name: string, due = 0): Member => ({
  name, person: null, user: null, device: null, private: false, away: false, due,
});
const chore = (name: string, status: Chore["status"] = "due"): Chore => ({
  name, assignee: "m1", due: 100, all_day: false, status, overdue_days: 0,
  snoozed: null, last: null, by: null,
});
const snapshot = (): Household => ({
  v: 1, entry_id: "e", title: "Home", now: 10,
  viewer: { admin: false, member: "m1", scope: "own", discard: false },
  thresholds: { low_grade: 37.3, fever: 38, high_fever: 39, hyperpyrexia: 41, hypothermia: 35 },
  order: ["m1", "m2"],
  members: { m1: member("Mia", 1), m2: member("Leo") },
  chores: { c1: chore("Bins"), c2: chore("Plants") },
  upcoming: 3,
  held: [],
});

test("a snapshot replaces whatever the card had", () => {
  const first = snapshot();
  const second = { ...snapshot(), title: "Again" };
  assert.equal(receive(first, { snapshot: second }), second);
});

test("a member's changed fields merge in; the others stay", () => {
  const before = snapshot();
  const after = applyDelta(before, { now: 20, members: { m1: { due: 0 } } });
  assert.deepEqual(after.members.m1, { ...member("Mia"), due: 0 });
  assert.equal(after.members.m2, before.members.m2);
  assert.equal(after.now, 20);
  // The snapshot the card drew from is left as it was.
  assert.equal(before.members.m1.due, 1);
});

test("one completion: the chore replaced whole, the member's count, nothing else", () => {
  const done = { ...chore("Bins", "done"), last: 20, by: "m1" };
  const after = applyDelta(snapshot(), { chores: { c1: done }, members: { m1: { due: 0 } } });
  assert.deepEqual(after.chores.c1, done);
  assert.deepEqual(after.chores.c2, chore("Plants"));
  assert.equal(after.upcoming, 3);
});

test("null removes a member or a chore; a new member comes whole with the order", () => {
  const after = applyDelta(snapshot(), {
    members: { m2: null, m3: member("Sam") },
    order: ["m1", "m3"],
    chores: { c2: null },
  });
  assert.deepEqual(Object.keys(after.members), ["m1", "m3"]);
  assert.deepEqual(after.order, ["m1", "m3"]);
  assert.deepEqual(Object.keys(after.chores), ["c1"]);
});

test("held readings, viewer, thresholds and title are replaced when sent", () => {
  const held = [{ id: "r1", kg: 31.4, at: 5, source: "sensor.scale" }];
  const after = applyDelta(snapshot(), { held, upcoming: 2, title: "The Lins" });
  assert.deepEqual(after.held, held);
  assert.equal(after.upcoming, 2);
  assert.equal(after.title, "The Lins");
});

test("closed keeps what was shown until the next snapshot; a delta before any snapshot is dropped", () => {
  const household = snapshot();
  assert.equal(receive(household, { closed: true }), household);
  assert.equal(receive(undefined, { delta: { now: 1 } }), undefined);
});
