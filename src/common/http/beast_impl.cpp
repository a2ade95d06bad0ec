// Boost.Asio and Boost.Beast are compiled here, once, instead of in every file that includes
// them (BOOST_*_SEPARATE_COMPILATION is defined for all users of fastchat_http).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
