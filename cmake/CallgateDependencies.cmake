# Every third-party library is found here once; modules link the imported targets.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Poco REQUIRED COMPONENTS Foundation JSON Net NetSSL Util Crypto XML)
find_package(Boost REQUIRED COMPONENTS unit_test_framework)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CARES REQUIRED IMPORTED_TARGET libcares)
pkg_check_modules(NICE REQUIRED IMPORTED_TARGET nice)
pkg_check_modules(SRTP2 REQUIRED IMPORTED_TARGET libsrtp2)
# Debian's libsrtp2 does its crypto with NSS, which SrtpSession initialises first.
pkg_check_modules(NSS REQUIRED IMPORTED_TARGET nss)
pkg_check_modules(OPUS REQUIRED IMPORTED_TARGET opus)
