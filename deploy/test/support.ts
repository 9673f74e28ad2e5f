import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export const REPO = resolve(__dirname, '..', '..');
export const DEPLOY = join(REPO, 'deploy');

/** Environment variable names whose value is a secret when given inline. */
export const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN/;
/** Credentials inside a URL: scheme://user:password@host. An interpolation (`${…}`) is not a value. */
export const URL_WITH_PASSWORD = /[a-z+]+:\/\/[^\s/:@]+:(?!\$\{)[^\s/@]+@/i;

/**
 * The services that can be deployed: a folder under services/ with a project.json and a default port in its
 * config.ts (`PORT: port(4001)`). The portal is not one: it is static files inside the gateway's image.
 */
export function deployableServices(): Map<string, number> {
  const services = new Map<string, number>();
  for (const name of readdirSync(join(REPO, 'services')).sort()) {
    const config = join(REPO, 'services', name, 'src', 'config.ts');
    if (!existsSync(join(REPO, 'services', name, 'project.json')) || !existsSync(config)) continue;
    const port = /\bPORT:\s*port\((\d+)\)/.exec(readFileSync(config, 'utf8'));
    if (port?.[1]) services.set(name, Number(port[1]));
  }
  return services;
}

export const PROJECTORS: Readonly<Record<string, string>> = {
  'inbox-projector': 'inbox',
  'outcomes-projector': 'outcomes',
  'referrals-process-projector': 'referrals',
  'audit-projector': 'audit',
};

// --- Kubernetes manifests: the subset of the API these checks read -------------------------------------

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: unknown; fieldRef?: unknown };
}

export interface Probe {
  httpGet?: { path: string; port: string | number; scheme?: string };
  tcpSocket?: { port: string | number };
  exec?: { command: string[] };
  grpc?: unknown;
}

export interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: SecurityContext;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  emptyDir?: { sizeLimit?: string; medium?: string };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  projected?: { sources: { secret?: { name: string } }[] };
  configMap?: unknown;
  hostPath?: unknown;
  persistentVolumeClaim?: unknown;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  securityContext?: SecurityContext & { fsGroup?: number };
  automountServiceAccountToken?: boolean;
  enableServiceLinks?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface Workload {
  kind: string;
  name: string;
  labels: Record<string, string>;
  podLabels: Record<string, string>;
  replicas: number | undefined;
  pod: PodSpec;
  manifest: Manifest;
}

export const KUBECTL = findExecutable(process.env['KUBECTL'] || 'kubectl');

function findExecutable(name: string): string | null {
  const candidates = name.includes('/') ? [name] : (process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** `kubectl kustomize <dir>`, parsed; throws with kustomize's message when the overlay does not render. */
export function render(directory: string): Manifest[] {
  if (!KUBECTL) throw new Error('kubectl is not installed');
  const output = execFileSync(KUBECTL, ['kustomize', directory], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return parseManifests(output, directory);
}

export function parseManifests(text: string, source: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${source}: ${document.errors.map((e) => e.message).join('; ')}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}

export function readYaml<T>(path: string): T {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as T;
}

export function workloads(manifests: readonly Manifest[]): Workload[] {
  return manifests
    .filter((m) => ['Deployment', 'StatefulSet', 'Job', 'DaemonSet', 'CronJob'].includes(m.kind))
    .map((manifest) => {
      const spec = (manifest.kind === 'CronJob' ? (manifest.spec?.['jobTemplate'] as { spec: Record<string, unknown> }).spec : manifest.spec) ?? {};
      const template = spec['template'] as { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
      return {
        kind: manifest.kind,
        name: manifest.metadata.name,
        labels: manifest.metadata.labels ?? {},
        podLabels: template.metadata?.labels ?? {},
        replicas: spec['replicas'] as number | undefined,
        pod: template.spec,
        manifest,
      };
    });
}

export const ofKind = (manifests: readonly Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

export function named(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

export const allContainers = (pod: PodSpec): Container[] => [...(pod.initContainers ?? []), ...pod.containers];

export function envOf(container: Container, name: string): EnvVar | undefined {
  return container.env?.find((variable) => variable.name === name);
}

/** A variable's value as the container sees it: from `env`, else from an envFrom ConfigMap of these manifests. */
export function effectiveEnv(container: Container, manifests: readonly Manifest[], name: string): string | undefined {
  const direct = envOf(container, name);
  if (direct) return direct.value;
  for (const source of container.envFrom ?? []) {
    const configMap = source.configMapRef && manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === source.configMapRef?.name);
    const value = configMap?.data?.[name];
    if (value !== undefined) return value;
  }
  return undefined;
}

export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok =
      expression.operator === 'In' ? value !== undefined && values.includes(value)
      : expression.operator === 'NotIn' ? value === undefined || !values.includes(value)
      : expression.operator === 'Exists' ? value !== undefined
      : value === undefined;
    if (!ok) return false;
  }
  return true;
}

/** The service name of a Koppelstuk image (`[registry/]koppelstuk/<service>[:tag]`), or null for another image. */
export function koppelstukService(image: string): string | null {
  const match = /^(?:[^/]+\/)*koppelstuk\/([a-z0-9-]+)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/.exec(image);
  return match?.[1] ?? null;
}

/** The tag of an image reference, or null when it has none. */
export function imageTag(image: string): string | null {
  const withoutDigest = image.split('@')[0] ?? image;
  const lastSegment = withoutDigest.split('/').pop() ?? '';
  return lastSegment.includes(':') ? (lastSegment.split(':').pop() ?? null) : null;
}
