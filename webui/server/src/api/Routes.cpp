#include "api/Resources.h"

namespace callgate::mgmt::api {

http::Router buildRouter(Services& services) {
  http::Router router;
  addSessionRoutes(router, services);
  addCollectionRoutes(router, services);
  addSettingsRoutes(router, services);
  addBackupRoutes(router, services);
  addUserRoutes(router, services);
  addDaemonRoutes(router, services);
  addAuditRoutes(router, services);
  addEventRoutes(router, services);
  addCertificateRoutes(router, services);
  addOpenApiRoute(router, services);
  addCallmeRoutes(router, services);
  addWebRoutes(router, services);
  return router;
}

}  // namespace callgate::mgmt::api
