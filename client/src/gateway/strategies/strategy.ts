/**
 * The one seam between the controller and a reload strategy (restart, blue/green, the `:watch`
 * image). The controller runs the lifecycle machine and dispatches its effects; a strategy owns
 * the container dance of a start and a reload, and whatever it keeps in this process (the
 * blue/green proxy). The host is the controller's side: the shared plan, staging, health wait
 * and the Docker adapter, so a strategy never reaches into the controller's fields.
 */
import type { ContainerState, DockerAdapter } from '../docker';
import type { ProbeResult } from '../health';
import type { LifecycleEvent, Op } from '../lifecycle';
import type { ContainerSpec, DockerConnection, GatewayPlan, HealthTarget } from '../plan';
import type { StagedFile, Staging } from '../staging';

import type { Logger } from '../logger';

// Below the adapters too (dockerWatch.ts logs), so it lives a floor down; strategies still name it here.
export type { Logger };

export interface StrategyHost {
  /** The workspace folder's name, for the log. */
  readonly folderName: string;
  /** The staged config's base name. */
  readonly configFileName: string;
  readonly stagingDir: string;
  /** The plan's own staging folder: what runs (or last ran). */
  readonly staging: Staging;
  readonly log: Logger;
  readonly now: () => number;
  /** The files of the latest passing save, once one arrived. */
  readonly goodFiles: readonly StagedFile[] | undefined;
  /** The plan in force. */
  plan: GatewayPlan | undefined;
  /** The container that serves now (the one the Docker events are followed for). */
  containerId: string | undefined;
  /** A new container is about to start: an OOM seen for the last one no longer applies. */
  freshContainer(): void;
  docker(c: DockerConnection): DockerAdapter;
  preparePlan(files?: readonly StagedFile[]): Promise<GatewayPlan>;
  /** Creates and starts a container; `files` (archive delivery) are put into it before it starts. */
  createAndStart(docker: DockerAdapter, spec: ContainerSpec, signal: AbortSignal, files?: readonly StagedFile[]): Promise<string>;
  awaitHealth(plan: GatewayPlan, signal: AbortSignal, op: Op, accept?: (body: string | undefined) => boolean, on?: { readonly id?: string; readonly target?: HealthTarget }): Promise<LifecycleEvent>;
  tail(id: string): Promise<string[]>;
  /** One probe of the plan's health endpoint, from where its port is (the engine's machine for an ssh:// engine). */
  probe(plan: GatewayPlan, timeoutMs: number): Promise<ProbeResult>;
  /** Blue/green: new requests reach the new config from now on, while the old one drains. */
  switched(): void;
  /** A reload whose files could not be staged: nothing was stopped. */
  stagingFailed(err: unknown): LifecycleEvent;
  /** Stops the gateway as the Stop command does (this strategy's `release` included). */
  stopGateway(): Promise<void>;
  /** Starts the staged config as a new gateway: a reload the strategy cannot apply in place. Answers as the reload. */
  startAfresh(signal: AbortSignal): Promise<LifecycleEvent>;
}

export interface ReloadStrategy {
  /** Starts the plan's container(s) once the image is there; resolves with the machine's event. */
  start(plan: GatewayPlan, docker: DockerAdapter, signal: AbortSignal): Promise<LifecycleEvent>;
  /** Applies the latest passing save to the gateway that `old` started (none: a fresh container). */
  reload(old: GatewayPlan | undefined, signal: AbortSignal): Promise<LifecycleEvent>;
  /** The running container an earlier session left for this plan, if any. */
  findRunning(docker: DockerAdapter, plan: GatewayPlan): Promise<ContainerState | undefined>;
  /** Takes over that container (blue/green: a new proxy in front of it). */
  takeOver(plan: GatewayPlan, existing: ContainerState): Promise<void>;
  /** Lets go of what lives in this process, draining for at most `drainMs`; the containers stay. */
  release(drainMs: number): Promise<void>;
  /** How users reach the gateway, and the container that serves, for the status bar. */
  describe(plan: GatewayPlan): { readonly ports: string; readonly containerName: string };
  dispose(): void;
}
