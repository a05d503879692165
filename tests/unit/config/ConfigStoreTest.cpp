#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "ConfigPrinter.h"
#include "config/ConfigJson.h"
#include "config/ConfigStore.h"
#include "config/Defaults.h"

using namespace callgate::config;

namespace {
struct TempDb {
  std::string path =
      (std::filesystem::temp_directory_path() /
       ("cg-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
          .string();
  ~TempDb() { std::filesystem::remove(path); }
  static inline int counter = 0;
};
Config sample() {
  Config c;
  c.listeners = {Listener{"udp", "udp", "127.0.0.1", 5060, "", true}};
  c.peers = {Peer{.name = "cc",
                  .host = "192.0.2.10",
                  .port = 5060,
                  .transport = "udp",
                  .username = "u",
                  .password = "p",
                  .codecs = "pcmu"}};
  c.media.rtp_port_min = 30000;
  c.media_interfaces.push_back(MediaInterface{
      .name = "public", .address = "192.0.2.1", .advertised_address = "198.51.100.1"});
  c.routes = {Route{"r", 1, "", "", "peer", "cc", true}};
  return c;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(config_store)

BOOST_AUTO_TEST_CASE(fresh_database_is_migrated_and_empty) {
  TempDb db;
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  BOOST_TEST(store.schemaVersion() == 5);
  BOOST_TEST(!store.isInitialized());
  BOOST_TEST(store.revision() == 0U);
}

BOOST_AUTO_TEST_CASE(save_and_load_round_trip_and_revision) {
  TempDb db;
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  store.save(sample());
  store.save(sample());
  BOOST_TEST(store.revision() == 2U);
  auto reader = ConfigStore::open(db.path, ConfigStore::Mode::ReadOnly);
  BOOST_TEST(reader.load() == sample());
  BOOST_TEST(toJson(reader.load()) == toJson(sample()));
}

BOOST_AUTO_TEST_CASE(invalid_save_leaves_the_database_untouched) {
  TempDb db;
  auto store = ConfigStore::open(db.path, ConfigStore::Mode::ReadWrite);
  store.save(sample());
  Config bad = sample();
  bad.routes[0].peer = "nobody";
  BOOST_CHECK_THROW(store.save(bad), ConfigError);
  BOOST_TEST(store.load() == sample());
  BOOST_TEST(store.revision() == 1U);
}

BOOST_AUTO_TEST_CASE(read_only_open_of_missing_file_fails_clearly) {
  BOOST_CHECK_EXCEPTION(ConfigStore::open("/nonexistent/cg.db", ConfigStore::Mode::ReadOnly),
                        ConfigError, [](const ConfigError& e) {
                          return std::string(e.what()).find("does not exist") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_SUITE_END()
