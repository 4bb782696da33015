// Renders the Helm chart as `helm template` would, and validates what it renders.
//   node infra/helm/tools/render.mjs CHART [-f values.yaml]... [--release cnh] [--namespace cnh] [--json out.json]
//     [--also manifests.yaml]...   (more manifests to validate with the chart's, e.g. create-secrets.sh --dry-run)
// Templates run on Go's own text/template (the @evertdespiegeleer/go-template WebAssembly build), the engine Helm uses;
// it has Go's built-in functions only, none of Sprig's, so the chart is written with those (which Helm has too) and
// renders the same under `helm template`. Every manifest is checked against the Kubernetes 1.27 OpenAPI schemas
// (kubernetes-models); custom resources of the operators (RabbitMQ, CloudNativePG) are checked for their metadata
// and the fields the chart depends on, as their CRD schemas are not in the package registries. Exit 1 on any error.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as render } from "@evertdespiegeleer/go-template";
import YAML from "yaml";
import { ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";

const args = process.argv.slice(2);
const chart = args.shift();
const valueFiles = [];
const alsoFiles = [];
let release = "cnh", namespace = "cnh", jsonOut = null;
while (args.length) {
  const flag = args.shift();
  if (flag === "-f") valueFiles.push(args.shift());
  else if (flag === "--release") release = args.shift();
  else if (flag === "--namespace") namespace = args.shift();
  else if (flag === "--json") jsonOut = args.shift();
  else if (flag === "--also") alsoFiles.push(args.shift());
  else throw new Error(`unknown argument ${flag}`);
}

// Helm's rule: maps merge key by key, anything else replaces, null removes the key.
function merge(base, over) {
  if (!isMap(base) || !isMap(over)) return over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = merge(base[k], v);
  }
  return out;
}
const isMap = v => v !== null && typeof v === "object" && !Array.isArray(v);

const meta = YAML.parse(readFileSync(path.join(chart, "Chart.yaml"), "utf8"));
let values = YAML.parse(readFileSync(path.join(chart, "values.yaml"), "utf8"));
for (const file of valueFiles) values = merge(values, YAML.parse(readFileSync(file, "utf8")));
const data = {
  Values: values,
  Release: { Name: release, Namespace: namespace, Service: "Helm", IsInstall: true, IsUpgrade: false, Revision: 1 },
  Chart: { Name: meta.name, Version: meta.version, AppVersion: meta.appVersion, Description: meta.description },
};

const dir = path.join(chart, "templates");
const files = readdirSync(dir).sort();
const helpers = files.filter(f => f.startsWith("_")).map(f => readFileSync(path.join(dir, f), "utf8")).join("");
const manifests = [];
const errors = [];
for (const file of files.filter(f => /\.ya?ml$/.test(f))) {
  let text;
  try {
    text = await render(helpers + readFileSync(path.join(dir, file), "utf8"), data);
  } catch (e) {
    errors.push(`${file}: ${e.message}`);
    continue;
  }
  for (const doc of YAML.parseAllDocuments(text)) {
    if (doc.errors.length) {
      errors.push(`${file}: not YAML: ${doc.errors[0].message}\n${text}`);
      continue;
    }
    const manifest = doc.toJS();
    if (manifest) manifests.push({ file, manifest });
  }
}

for (const file of alsoFiles)
  for (const doc of YAML.parseAllDocuments(readFileSync(file, "utf8"))) {
    const manifest = doc.toJS();
    if (manifest) manifests.push({ file: path.basename(file), manifest });
  }

// What the chart's own resources need beyond the operators' schemas: where a mistake would pass unseen.
const customResources = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": m => need(m, "spec.replicas", "number"),
  "rabbitmq.com/v1beta1/Vhost": m => need(m, "spec.name", "string") && need(m, "spec.rabbitmqClusterReference.name", "string"),
  "rabbitmq.com/v1beta1/User": m => need(m, "spec.rabbitmqClusterReference.name", "string") && need(m, "spec.importCredentialsSecret.name", "string"),
  "rabbitmq.com/v1beta1/Permission": m =>
    ["spec.vhost", "spec.user", "spec.permissions.configure", "spec.permissions.write", "spec.permissions.read", "spec.rabbitmqClusterReference.name"]
      .every(p => need(m, p, "string")),
  "postgresql.cnpg.io/v1/Cluster": m => need(m, "spec.instances", "number") && need(m, "spec.storage.size", "string"),
  "postgresql.cnpg.io/v1/Database": m => ["spec.name", "spec.owner", "spec.cluster.name"].every(p => need(m, p, "string")),
};
function need(manifest, dotted, type) {
  const value = dotted.split(".").reduce((v, k) => v?.[k], manifest);
  if (typeof value !== type) throw new Error(`${dotted} must be a ${type}`);
  return true;
}

const counts = {};
for (const { file, manifest } of manifests) {
  const { apiVersion, kind } = manifest;
  const id = `${file}: ${kind ?? "?"} ${manifest.metadata?.name ?? "?"}`;
  try {
    if (!apiVersion || !kind) throw new Error("apiVersion and kind are required");
    const check = customResources[`${apiVersion}/${kind}`];
    if (check) {
      new ObjectMeta(manifest.metadata).validate();
      check(manifest);
    } else {
      const group = apiVersion.includes("/") ? apiVersion : `${apiVersion}`;
      const module = await import(`kubernetes-models/${group}/${kind}`).catch(() => null);
      if (!module) throw new Error(`no schema for ${apiVersion} ${kind}`);
      new module[kind](manifest).validate();
    }
    counts[kind] = (counts[kind] ?? 0) + 1;
  } catch (e) {
    errors.push(`${id}: ${e.message}`);
  }
}

if (jsonOut) writeFileSync(jsonOut, JSON.stringify(manifests.map(m => m.manifest), null, 2));
const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ");
console.log(`${manifests.length} manifests rendered from ${chart} (${valueFiles.join(", ") || "values.yaml"}): ${summary}`);
if (errors.length) {
  for (const e of errors) console.error(`error: ${e}`);
  process.exit(1);
}
console.log("all valid");
