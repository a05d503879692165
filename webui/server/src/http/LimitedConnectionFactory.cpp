#include "http/LimitedConnectionFactory.h"

#include "http/HttpsConnection.h"

namespace callgate::mgmt::http {

Poco::Net::TCPServerConnection* LimitedConnectionFactory::createConnection(
    const Poco::Net::StreamSocket& socket) {
  return new HttpsConnection(socket, guard_, params_, handlers_);
}

}  // namespace callgate::mgmt::http
