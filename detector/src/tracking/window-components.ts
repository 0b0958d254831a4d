/** The tracker's input: the engine's hook (engine/component-observer.ts). */
export type { ComponentObserver, WindowComponents } from "../engine/component-observer";
