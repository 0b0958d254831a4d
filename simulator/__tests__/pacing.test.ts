import { CongestionWindow } from "../src/congestion-window";
import { RatePacer, ReplayPacer } from "../src/pacing";

describe("RatePacer", () => {
  it("spaces rows 1/rate apart and catches up at most one second after falling behind", () => {
    const pacer = new RatePacer(100);
    expect([0, 1, 2].map(() => pacer.dueAt("", 1000))).toEqual([1000, 1010, 1020]);
    // 5 s later: the schedule restarts from one second back, not from 1030.
    expect(pacer.dueAt("", 6000)).toBe(5000);
  });
});

describe("ReplayPacer", () => {
  it("follows event times divided by the speed, from each pass's first row", () => {
    const pacer = new ReplayPacer(2);
    expect(pacer.dueAt("2026-06-01T18:00:00.000Z", 500)).toBe(500);
    expect(pacer.dueAt("2026-06-01T18:00:01.000Z", 500)).toBe(1000);
    expect(pacer.dueAt("not a time", 700)).toBe(700);
    pacer.restart();
    expect(pacer.dueAt("2026-06-01T18:00:00.000Z", 9000)).toBe(9000);
  });
});

describe("CongestionWindow", () => {
  it("halves on throttling, grows back by one per window of clean requests, never below 1", async () => {
    const window = new CongestionWindow(8);
    window.report(true);
    expect(window.size).toBe(4);
    for (let i = 0; i < 5; i++) window.report(true);
    expect(window.size).toBe(1);
    window.report(false); // a window of 1 clean request: +1
    expect(window.size).toBe(2);
    for (let i = 0; i < 3; i++) window.report(false); // 2 more, then the next window begins
    expect(window.size).toBe(3);
  });

  it("makes the next sender wait until one finishes", async () => {
    const window = new CongestionWindow(1);
    await window.acquire();
    let second = false;
    const waiting = window.acquire().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    window.release();
    await waiting;
    expect(window.inFlight).toBe(1);
  });
});
