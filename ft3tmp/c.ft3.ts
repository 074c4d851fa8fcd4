it("load", () => {
  const t0 = process.cpuUsage();
  require("@pulumi/pulumi");
  const t1 = process.cpuUsage(t0);
  require("@pulumi/aws");
  const t2 = process.cpuUsage(t0);
  require("../lib/plan/evaluate");
  const t3 = process.cpuUsage(t0);
  const f = (t: NodeJS.CpuUsage) => ((t.user + t.system) / 1e6).toFixed(2);
  console.log("pulumi", f(t1), "aws", f(t2), "evaluate", f(t3));
});
